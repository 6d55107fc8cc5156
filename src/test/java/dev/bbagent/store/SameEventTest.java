package dev.bbagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same event under a new delivery id (a second webhook, a resend) is stored without jobs, on a real
 * database file; a retry of a delivery id stays a plain duplicate.
 */
class SameEventTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final byte[] BODY = "{\"pullrequest\":{\"id\":7,\"updated_on\":\"2026-12-06T10:00:00.123456+00:00\"}}"
            .getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private SqliteStore store;
    private SqliteJobStore jobs;

    @BeforeEach
    void open() {
        store = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.FULL, Clock.systemUTC(),
                new SimpleMeterRegistry());
        jobs = new SqliteJobStore(store.file());
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Delivery delivery(String id, String key, byte[] body) {
        return new Delivery(id, "cloud", key, "pull_request.opened", "a/b", "a/b#pr-7", "accepted", 1,
                Instant.parse("2026-12-06T10:00:01Z"), Map.of("X-Hook-UUID", "hook-of-" + id), body, List.of("review"));
    }

    private static List<NewJob> job(String id) {
        return List.of(new NewJob("review", "v1", "a/b", "a/b#pr-7", id, "a/b#pr-7", false, Duration.ZERO, 3));
    }

    private Insertion insert(String id, String key, byte[] body, List<NewJob> jobs) throws Exception {
        return store.insert(delivery(id, key, body), jobs, WAIT).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aSecondDeliveryOfTheSameEventIsStoredWithoutJobsAndNamesTheFirst() throws Exception {
        assertThat(insert("hook-a", "pullrequest:created", BODY, job("hook-a"))).isEqualTo(Insertion.STORED);

        Insertion second = insert("hook-b", "pullrequest:created", BODY, job("hook-b"));

        assertThat(second.kind()).isEqualTo(Insertion.Kind.SAME_EVENT);
        assertThat(second.sameEventAs()).isEqualTo("hook-a");
        assertThat(second.sameEventAt()).isEqualTo(Instant.parse("2026-12-06T10:00:01Z"));
        assertThat(jobs.jobsOfDelivery("hook-a")).hasSize(1);
        assertThat(jobs.jobsOfDelivery("hook-b")).isEmpty();
        Delivery stored = store.get("hook-b").orElseThrow();
        assertThat(stored.status()).isEqualTo(Delivery.SAME_EVENT);
        assertThat(stored.rules()).isEmpty();
        assertThat(stored.body()).isEqualTo(BODY);
        assertThat(stored.headers()).containsEntry("X-Hook-UUID", "hook-of-hook-b");

        // Bitbucket's retry of the second delivery is a plain duplicate; so is one of the first.
        assertThat(insert("hook-b", "pullrequest:created", BODY, job("hook-b"))).isEqualTo(Insertion.DUPLICATE);
        assertThat(insert("hook-a", "pullrequest:created", BODY, job("hook-a"))).isEqualTo(Insertion.DUPLICATE);
        assertThat(jobs.jobs(null, null, null, 100)).hasSize(1);
    }

    @Test
    void anotherBodyOrAnotherEventKeyIsAnotherEvent() throws Exception {
        byte[] updated = "{\"pullrequest\":{\"id\":7,\"updated_on\":\"2026-12-06T10:00:09.000001+00:00\"}}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(insert("d-1", "pullrequest:created", BODY, job("d-1"))).isEqualTo(Insertion.STORED);
        assertThat(insert("d-2", "pullrequest:updated", BODY, job("d-2"))).isEqualTo(Insertion.STORED);
        assertThat(insert("d-3", "pullrequest:created", updated, job("d-3"))).isEqualTo(Insertion.STORED);

        assertThat(jobs.jobs(null, null, null, 100)).hasSize(3);
    }

    @Test
    void anEventThatQueuedNoJobsCanQueueThemWhenItComesAgain() throws Exception {
        // Stored while no rule matched it (say, before the rule was added): nothing to run twice.
        assertThat(insert("first", "pullrequest:created", BODY, List.of())).isEqualTo(Insertion.STORED);

        assertThat(insert("again", "pullrequest:created", BODY, job("again"))).isEqualTo(Insertion.STORED);
        assertThat(jobs.jobsOfDelivery("again")).hasSize(1);
        // And a third copy, with jobs, names the one that queued them.
        assertThat(insert("third", "pullrequest:created", BODY, job("third")).sameEventAs()).isEqualTo("again");
    }

    @Test
    void twoCopiesInOneCommitQueueTheJobsOnce() throws Exception {
        // Hold the writer inside a batch so both copies wait together and are written in one transaction.
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> gate = store.file().writer().submit(c -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Insertion>> copies = new ArrayList<>();
        for (String id : List.of("repo-hook", "workspace-hook")) {
            copies.add(store.insert(delivery(id, "pullrequest:created", BODY), job(id), WAIT));
        }
        release.countDown();
        gate.get(5, TimeUnit.SECONDS);

        assertThat(copies.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(Insertion.STORED);
        assertThat(copies.get(1).get(5, TimeUnit.SECONDS).sameEventAs()).isEqualTo("repo-hook");
        assertThat(jobs.jobs(null, null, null, 100)).hasSize(1);
    }

    @Test
    void aVersion3DatabaseGainsTheFingerprintAndItsOldDeliveriesStillRead() throws Exception {
        store.close();
        Path db = dir.resolve("old.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Migrations.apply(c, "old.db", MainSchema.MIGRATIONS.subList(0, 3));
            try (Statement st = c.createStatement()) {
                st.execute("""
                        INSERT INTO deliveries (id, edition, event_key, kind, repo, thread, status, attempt, received_at,
                          headers, payload, payload_encoding, payload_size, rules)
                        VALUES ('old', 'cloud', 'pullrequest:created', 'pull_request.opened', 'a/b', 'a/b#pr-7',
                          'accepted', 1, 0, '{}', X'', 'zstd', 0, '["review"]')""");
            }
        }

        store = new SqliteStore(db, SqliteFile.Sync.NORMAL, Clock.systemUTC(), new SimpleMeterRegistry());
        jobs = new SqliteJobStore(store.file());
        assertThat(store.list(null, 10)).extracting(DeliverySummary::id).containsExactly("old");
        // A row from before has no fingerprint: the same event arriving now queues its jobs.
        assertThat(insert("new", "pullrequest:created", BODY, job("new"))).isEqualTo(Insertion.STORED);
        assertThat(insert("newer", "pullrequest:created", BODY, job("newer")).sameEventAs()).isEqualTo("new");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'deliveries_by_fingerprint'")) {
            assertThat(rs.getInt(1)).isEqualTo(1);
        }
    }
}
