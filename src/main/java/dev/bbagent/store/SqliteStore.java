package dev.bbagent.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.http.JsonMappers;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** The SQLite store behind data/bbagent.db: deliveries (and, later, jobs) in one WAL file. */
public final class SqliteStore implements DeliveryStore, AutoCloseable {

    private static final ObjectMapper JSON = JsonMappers.create();
    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
    private static final TypeReference<List<String>> NAMES = new TypeReference<>() {};
    private static final int PRUNE_CHUNK = 2_000;

    private final SqliteFile file;
    private final Clock clock;

    public SqliteStore(Path dbFile, SqliteFile.Sync sync, Clock clock, MeterRegistry registry) {
        this.file = new SqliteFile(dbFile, "main", MainSchema.MIGRATIONS, sync, 4, 20_000, registry, true);
        this.clock = clock;
    }

    public SqliteFile file() {
        return file;
    }

    @Override
    public CompletableFuture<Boolean> insert(Delivery d) {
        return insert(d, List.of());
    }

    @Override
    public CompletableFuture<Boolean> insert(Delivery d, List<NewJob> jobs) {
        return file.writer().submit(insertOp(d, jobs)).thenApply(Insertion::written);
    }

    @Override
    public CompletableFuture<Insertion> insert(Delivery d, List<NewJob> jobs, Duration maxWait) {
        return file.writer().submit(insertOp(d, jobs), maxWait);
    }

    private SqlOp<Insertion> insertOp(Delivery d, List<NewJob> jobs) {
        // Serialize, compress and hash on the caller's thread; the writer thread only runs SQL.
        byte[] packed = Payloads.compress(d.body());
        String headers = toJson(d.headers());
        String rules = toJson(d.rules());
        // Only a delivery with jobs can cause a second run: the others skip the hash and the index.
        byte[] fingerprint = jobs.isEmpty() ? null : Payloads.fingerprint(d.eventKey(), d.body());
        Instant now = clock.instant();
        return c -> {
            SqliteWriter writer = file.writer();
            if (fingerprint != null) {
                // In the writer's transaction, so two copies in one batch, or from two processes, see each other.
                Insertion earlier = sameEvent(writer.prepared(c, FIND_FINGERPRINT), fingerprint, d.id());
                if (earlier != null) {
                    boolean inserted = insertRow(writer.prepared(c, INSERT_DELIVERY), d, Delivery.SAME_EVENT, packed,
                            headers, "[]", null);
                    return inserted ? earlier : Insertion.DUPLICATE;
                }
            }
            boolean inserted = insertRow(writer.prepared(c, INSERT_DELIVERY), d, d.status(), packed, headers, rules,
                    fingerprint);
            if (!inserted) {
                return Insertion.DUPLICATE;
            }
            for (NewJob job : jobs) {
                JobRows.enqueue(c, d.id(), job, now);
            }
            return Insertion.STORED;
        };
    }

    private static final String FIND_FINGERPRINT =
            "SELECT id, received_at FROM deliveries WHERE fingerprint = ? ORDER BY received_at LIMIT 1";

    /** The delivery under another id that stored this event with jobs, or null. */
    private static Insertion sameEvent(PreparedStatement ps, byte[] fingerprint, String id) throws SQLException {
        ps.setBytes(1, fingerprint);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next() || rs.getString(1).equals(id)) {
                return null; // new, or a retry of the same delivery (the insert answers duplicate)
            }
            return Insertion.sameEventAs(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)));
        }
    }

    @Override
    public Arrival expect() {
        return file.writer().expect();
    }

    @Override
    public void saveRuleVersion(String version, String text) {
        Instant now = clock.instant();
        file.writer().call(c -> {
            JobRows.saveRuleVersion(c, version, text, now);
            return null;
        });
    }

    @Override
    public Optional<String> ruleVersionText(String version) {
        try (Connection c = file.readers().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT text FROM rule_versions WHERE version = ?")) {
            ps.setString(1, version);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("reading rules version " + version + " failed: " + e.getMessage(), e);
        }
    }

    private static final String INSERT_DELIVERY = """
            INSERT OR IGNORE INTO deliveries (id, edition, event_key, kind, repo, thread, status, attempt,
              received_at, headers, payload, payload_encoding, payload_size, rules, fingerprint)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** {@code ps}: the writer's kept {@link #INSERT_DELIVERY} statement; {@code fingerprint} null when no jobs. */
    private static boolean insertRow(PreparedStatement ps, Delivery d, String status, byte[] packed, String headers,
            String rules, byte[] fingerprint) throws SQLException {
        ps.setString(1, d.id());
        ps.setString(2, d.edition());
        ps.setString(3, d.eventKey());
        ps.setString(4, d.kind());
        ps.setString(5, d.repo());
        ps.setString(6, d.thread());
        ps.setString(7, status);
        ps.setInt(8, d.attempt());
        ps.setLong(9, d.receivedAt().toEpochMilli());
        ps.setString(10, headers);
        ps.setBytes(11, packed);
        ps.setString(12, Payloads.ENCODING);
        ps.setInt(13, d.body().length);
        ps.setString(14, rules);
        ps.setBytes(15, fingerprint);
        return ps.executeUpdate() == 1;
    }

    @Override
    public List<DeliverySummary> list(String repo, int limit) {
        boolean all = repo == null || repo.isEmpty();
        String sql = "SELECT id, edition, event_key, kind, repo, thread, status, attempt, received_at, payload_size, rules"
                + " FROM deliveries" + (all ? "" : " WHERE repo = ?")
                + " ORDER BY received_at DESC, rowid DESC LIMIT ?";
        try (Connection c = file.readers().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            if (!all) {
                ps.setString(i++, repo);
            }
            ps.setInt(i, limit);
            List<DeliverySummary> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeliverySummary(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                            Instant.ofEpochMilli(rs.getLong(9)), rs.getInt(10), fromJson(rs.getString(11), NAMES)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("listing deliveries failed: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Delivery> get(String id) {
        String sql = "SELECT id, edition, event_key, kind, repo, thread, status, attempt, received_at, headers,"
                + " payload, payload_encoding, payload_size, rules FROM deliveries WHERE id = ?";
        try (Connection c = file.readers().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] body = Payloads.decompress(rs.getBytes(11), rs.getString(12), rs.getInt(13));
                return Optional.of(new Delivery(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8),
                        Instant.ofEpochMilli(rs.getLong(9)), fromJson(rs.getString(10), HEADERS), body,
                        fromJson(rs.getString(14), NAMES)));
            }
        } catch (SQLException e) {
            throw new StoreException("reading delivery " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int pruneBefore(Instant cutoff) {
        int total = 0;
        while (true) {
            // Small chunks keep each write transaction short so webhook intake never waits long.
            int n = file.writer().call(c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM deliveries WHERE rowid IN (SELECT d.rowid FROM deliveries d WHERE d.received_at < ?"
                                + " AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.delivery_id = d.id) LIMIT ?)")) {
                    ps.setLong(1, cutoff.toEpochMilli());
                    ps.setInt(2, PRUNE_CHUNK);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < PRUNE_CHUNK) {
                return total;
            }
        }
    }

    /**
     * A write round trip through the writer: proves the file is writable right now. Fails with
     * {@link StoreTimeoutException} when the write has not committed within {@code maxWait} (a stalled disk).
     */
    public void probeWritable(Duration maxWait) {
        String now = Long.toString(clock.millis());
        file.writer().call(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO meta(key, value) VALUES('last_probe', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")) {
                ps.setString(1, now);
                return ps.executeUpdate();
            }
        }, maxWait);
    }

    private static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T fromJson(String json, TypeReference<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored JSON is corrupt: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        file.close();
    }
}
