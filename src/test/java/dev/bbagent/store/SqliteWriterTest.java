package dev.bbagent.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The group-commit writer: wait limits that hold while the disk is stuck, and statements it keeps. */
class SqliteWriterTest {

    private static final List<String> SCHEMA = List.of("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL);");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SqliteFile file;

    @BeforeEach
    void open() {
        file = new SqliteFile(dir.resolve("w.db"), "w", SCHEMA, SqliteFile.Sync.FULL, 2, 100, registry, false);
    }

    @AfterEach
    void close() {
        file.close();
    }

    private static SqlOp<Integer> put(String k, int v) {
        return c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k, v) VALUES (?, ?)")) {
                ps.setString(1, k);
                ps.setInt(2, v);
                return ps.executeUpdate();
            }
        };
    }

    private int count() throws SQLException {
        try (Connection c = file.readers().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM t")) {
            return rs.getInt(1);
        }
    }

    @Test
    void aWaitLimitFailsTheFutureWhileTheWriterIsStuckAndTheOperationStillCommitsLater() throws Exception {
        CountDownLatch disk = new CountDownLatch(1);
        CompletableFuture<Integer> stuck = file.writer().submit(c -> {
            try {
                disk.await(); // a commit that hangs, as on a stalled disk
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return put("a", 1).apply(c);
        });
        long start = System.nanoTime();
        CompletableFuture<Integer> limited = file.writer().submit(put("b", 2), Duration.ofMillis(200));

        assertThatThrownBy(() -> limited.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreTimeoutException.class)
                .hasMessageContaining("not committed to w within 200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(registry.get("bbagent.store.timeouts").tag("db", "w").counter().count()).isEqualTo(1.0);
        assertThat(stuck).isNotDone();

        disk.countDown();
        assertThat(stuck.get(5, TimeUnit.SECONDS)).isEqualTo(1);
        // The late operation is not lost: a caller that timed out must expect it stored (and dedupe a retry).
        file.writer().call(c -> 0);
        assertThat(count()).isEqualTo(2);
    }

    @Test
    void anOperationWithinItsLimitCompletesNormally() throws Exception {
        assertThat(file.writer().submit(put("a", 1), Duration.ofSeconds(5)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        Thread.sleep(300); // the watchdog has looked at least twice since
        assertThat(registry.get("bbagent.store.timeouts").tag("db", "w").counter().count()).isZero();
    }

    @Test
    void keptStatementsAreReusedAndPreparedAfreshAfterAFailure() throws Exception {
        String sql = "INSERT OR IGNORE INTO t (k, v) VALUES (?, ?)";
        SqlOp<PreparedStatement> keep = c -> {
            PreparedStatement ps = file.writer().prepared(c, sql);
            ps.setString(1, "k" + System.nanoTime());
            ps.setInt(2, 1);
            ps.executeUpdate();
            return ps;
        };
        PreparedStatement first = file.writer().call(keep);
        assertThat(file.writer().call(keep)).isSameAs(first);

        // A failing operation (a duplicate key) through another kept statement, in a batch of its own.
        SqlOp<Integer> twice = c -> {
            PreparedStatement ps = file.writer().prepared(c, "INSERT INTO t (k, v) VALUES (?, ?)");
            ps.setString(1, "same");
            ps.setInt(2, 1);
            return ps.executeUpdate();
        };
        file.writer().call(twice);
        assertThatThrownBy(() -> file.writer().call(twice)).hasMessageContaining("UNIQUE");

        PreparedStatement after = file.writer().call(keep);
        assertThat(after).isNotSameAs(first);
        assertThat(count()).isEqualTo(4);
    }

    @Test
    void keptStatementsAreOnlyForOperationsOfTheWriter() throws Exception {
        try (Connection c = file.readers().getConnection()) {
            assertThatThrownBy(() -> file.writer().prepared(c, "SELECT 1"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("writer w");
        }
    }

    @Test
    void fullSyncFsyncsTheWalOnItsOwnThreadBeforeTheCallerHears() throws Exception {
        assertThat(file.writer().submit(put("a", 1)).get(5, TimeUnit.SECONDS)).isEqualTo(1);

        // The future completed, so an fsync of the WAL has finished since the commit.
        assertThat(registry.get("bbagent.store.sync").tag("db", "w").timer().count()).isGreaterThanOrEqualTo(1);
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName).contains("bbagent-sync-w");
    }

    @Test
    void normalSyncHasNoSyncerAndCommitsAreAnsweredDirectly() throws Exception {
        try (SqliteFile normal = new SqliteFile(dir.resolve("n.db"), "n", SCHEMA, SqliteFile.Sync.NORMAL, 1, 10,
                registry, false)) {
            assertThat(normal.writer().submit(put("a", 1)).get(5, TimeUnit.SECONDS)).isEqualTo(1);

            assertThat(registry.find("bbagent.store.sync").tag("db", "n").timer()).isNull();
        }
    }

    @Test
    void operationsArrivingTogetherShareACommitAndALoneOneIsNotKeptWaiting() throws Exception {
        // Hold the writer inside a batch while 40 operations arrive, so they are all waiting together however
        // slowly this thread submits them (a loaded machine).
        var started = new java.util.concurrent.CountDownLatch(1);
        var release = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Integer> gate = file.writer().submit(c -> {
            started.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        });
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Integer>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            all.add(file.writer().submit(put("k" + i, i)));
        }
        release.countDown();
        gate.get(5, TimeUnit.SECONDS);
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        var batches = registry.get("bbagent.store.batch.size").tag("db", "w").summary();
        // All 40 are waiting when the gate returns: they join its open transaction (within its 1 ms window)
        // or, on a slow machine, make the next batch together. Never one commit each.
        assertThat(batches.count()).isBetween(1L, 2L);
        assertThat(batches.totalAmount()).isEqualTo(41.0);

        Thread.sleep(50);
        long start = System.nanoTime();
        file.writer().submit(put("lone", 1)).get(5, TimeUnit.SECONDS);
        // One quiet step (0.15 ms) plus a commit and an fsync; generous for a loaded CI machine.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        assertThat(count()).isEqualTo(41);
    }

    @Test
    void anOpenBatchWaitsForAWriteOnItsWayThatThenSharesItsCommit() throws Exception {
        var batches = registry.get("bbagent.store.batch.size").tag("db", "w").summary();
        boolean shared = false;
        // The second write comes 0.2 ms after the first, well within the 1 ms window; without the arrival the
        // first would have committed alone by then. A busy machine may stall this thread longer: a few tries.
        for (int attempt = 0; attempt < 5 && !shared; attempt++) {
            long before = batches.count();
            try (Arrival coming = file.writer().expect()) {
                CompletableFuture<Integer> first = file.writer().submit(put("a" + attempt, 1));
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                CompletableFuture<Integer> second = file.writer().submit(put("b" + attempt, 2));
                coming.close();
                CompletableFuture.allOf(first, second).get(5, TimeUnit.SECONDS);
            }
            shared = batches.count() - before == 1;
        }
        assertThat(shared).as("two writes submitted while a third was on its way shared one commit").isTrue();
    }

    @Test
    void aWriteThatNeverComesHoldsABatchOnlyForItsWindow() throws Exception {
        try (Arrival never = file.writer().expect()) {
            long start = System.nanoTime();
            file.writer().submit(put("a", 1)).get(5, TimeUnit.SECONDS);
            // The window is 1 ms; generous for a loaded CI machine.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
        }
    }

    @Test
    void anErrorThrownByAnOperationRollsItsBatchBackAndLaterWritesWork() throws Exception {
        CompletableFuture<Integer> failing = file.writer().submit(c -> {
            put("a", 1).apply(c);
            throw new AssertionError("an Error, not an exception (a stack overflow, out of memory)");
        });
        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(AssertionError.class);

        // Before, the transaction stayed open: every later write failed with "cannot start a transaction
        // within a transaction" until a restart.
        assertThat(file.writer().submit(put("b", 2)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(count()).isEqualTo(1);
        // A failed batch is not a reason to restart the process.
        assertThat(file.writer().fatalProblem()).isNull();
    }

    /** A writer with its own syncer on {@code w.db}, whose fsync is {@code fsync} (the file's writer stays unused). */
    private SqliteWriter writerWith(Path db, WalSyncer.Fsync fsync) {
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        return new SqliteWriter("x", ds, db, fsync, 100, registry);
    }

    @Test
    void aFailedFsyncStopsAllWritesToTheFileUntilARestart() throws Exception {
        Path db = dir.resolve("w.db");
        AtomicInteger syncs = new AtomicInteger();
        try (SqliteWriter writer = writerWith(db, (channel, wal) -> {
            if (syncs.incrementAndGet() == 1) {
                throw new IOException("Input/output error");
            }
            channel.force(false);
        })) {
            assertThatThrownBy(() -> writer.submit(put("a", 1)).get(5, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("fsync of " + db.toRealPath() + "-wal failed")
                    .hasMessageContaining("Input/output error")
                    .hasMessageContaining("restart bbagent");
            // The row is committed and visible, but may not be on disk, and a later fsync that succeeds would
            // prove nothing (Linux reports a failed writeback once). So nothing more is written: a retry of
            // the same delivery must not be answered "duplicate" as if it were safe.
            assertThatThrownBy(() -> writer.submit(put("b", 2)).get(5, TimeUnit.SECONDS)).cause()
                    .hasMessageContaining("fsync of " + db.toRealPath() + "-wal failed");
            assertThat(syncs.get()).isEqualTo(1);
            // Only a restart mends it: /health/live reports this so that a supervisor restarts bbagent.
            assertThat(writer.fatalProblem()).contains("fsync of " + db.toRealPath() + "-wal failed")
                    .contains("restart bbagent");
            assertThat(registry.get("bbagent.store.commit.failures").tag("db", "x").counter().count())
                    .isGreaterThanOrEqualTo(2);
        }
        // After a restart the file takes writes again.
        try (SqliteWriter writer = writerWith(db, WalSyncer.DATA)) {
            assertThat(writer.fatalProblem()).isNull();
            assertThat(writer.submit(put("c", 3)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(writer.fatalProblem()).isNull();
        }
    }

    @Test
    void theWalSyncedForADatabaseBehindASymbolicLinkIsTheOneSqliteWrites() throws Exception {
        Path real = dir.resolve("disk/real.db");
        Files.createDirectories(real.getParent());
        try (SqliteFile target = new SqliteFile(real, "r", SCHEMA, SqliteFile.Sync.NORMAL, 1, 10, registry, false)) {
            target.writer().call(put("seed", 0)); // schema and WAL mode
        }
        Path link = Files.createDirectories(dir.resolve("data")).resolve("bbagent.db");
        Files.createSymbolicLink(link, real);
        List<Path> synced = new ArrayList<>();
        try (SqliteWriter writer = writerWith(link, (channel, wal) -> {
            synchronized (synced) {
                synced.add(wal);
            }
            channel.force(false);
        })) {
            assertThat(writer.submit(put("a", 1)).get(5, TimeUnit.SECONDS)).isEqualTo(1);
        }
        // SQLite puts the WAL beside the link's target; before, the syncer looked beside the link, found
        // nothing and answered every commit as durable without any fsync.
        assertThat(Files.exists(dir.resolve("data/bbagent.db-wal"))).isFalse();
        Path realWal = real.toRealPath().resolveSibling("real.db-wal");
        synchronized (synced) {
            assertThat(synced).isNotEmpty().allMatch(realWal::equals);
        }
    }

    @Test
    void aStuckFsyncDoesNotHoldTheShutdownAndItsCallerIsToldTheWriteMayNotBeDurable() throws Exception {
        Path db = dir.resolve("w.db");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        CountDownLatch inFsync = new CountDownLatch(1);
        CountDownLatch disk = new CountDownLatch(1);
        SqliteWriter writer = new SqliteWriter("x", ds, db, (channel, wal) -> {
            inFsync.countDown();
            try {
                disk.await(); // an fsync that hangs, as on a stalled disk
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            channel.force(false);
        }, 100, registry, Duration.ofMillis(300));
        CompletableFuture<Integer> write = writer.submit(put("a", 1)); // no wait limit of its own
        assertThat(inFsync.await(5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        boolean stopped = writer.stop();
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(stopped).isFalse();
        assertThat(tookMs).isLessThan(3_000);
        assertThatThrownBy(() -> write.get(1, TimeUnit.SECONDS)).cause()
                .isInstanceOf(StoreException.class)
                // Told by the writer's own deadline or by stop()'s, whichever comes first: both say why.
                .hasMessageContaining("(a stuck disk?)")
                .hasMessageContaining("may not be durable");
        // Once the disk answers, the writer finishes by itself and closes its connection; the caller's
        // answer stays the one it got.
        disk.countDown();
        assertThat(writer.stop()).isTrue();
        assertThat(write).isCompletedExceptionally();
    }

    @Test
    void everyOperationSubmittedWhileTheWriterClosesIsAnswered() throws Exception {
        Path db = dir.resolve("w.db");
        SQLiteDataSource ds = new SQLiteDataSource();
        ds.setUrl("jdbc:sqlite:" + db);
        for (int round = 0; round < 100; round++) {
            SqliteWriter writer = new SqliteWriter("race", ds, null, 10_000, registry);
            AtomicBoolean stop = new AtomicBoolean();
            List<CompletableFuture<Integer>> futures = new ArrayList<>();
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                submitters.add(Thread.ofPlatform().start(() -> {
                    List<CompletableFuture<Integer>> mine = new ArrayList<>();
                    while (!stop.get()) {
                        mine.add(writer.submit(c -> 1, Duration.ofMillis(300)));
                    }
                    synchronized (futures) {
                        futures.addAll(mine);
                    }
                }));
            }
            Thread.sleep(2);
            writer.close();
            stop.set(true);
            for (Thread t : submitters) {
                t.join();
            }
            // Before, a submit between close()'s flag and the writer's last look at its queue was never
            // answered, and the watchdog that enforces wait limits had already stopped (2 rounds in 30).
            CompletableFuture.allOf(futures.stream().map(f -> f.exceptionally(e -> 0))
                    .toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
        }
    }
}
