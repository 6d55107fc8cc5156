package dev.bbagent.store;

import dev.bbagent.config.Durations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one SQLite file, with group commit: a platform thread takes every operation
 * waiting, runs them in one transaction, commits once, then completes the callers' futures. A future
 * completes only after the commit is durable, so a caller that waits on it knows the row is. With a
 * {@link WalSyncer} (files opened with {@code Sync.FULL}) the fsync that makes it durable runs on the
 * syncer's thread while this one commits the next batch.
 *
 * <p>A batch's transaction stays open while more operations are on their way ({@link #expect}: webhook
 * deliveries verified and being parsed): the writer runs each as it arrives and commits once none is on
 * the way and none is queued, after 1 ms, or at 64 operations. Under load a commit then holds tens of
 * rows, and its fixed costs (the commit itself, the pages every commit rewrites, the fsync, waking the
 * callers) are shared: measured with bench/intake, a delivery cost 154 µs of CPU with commits of 5 rows
 * and about 115 µs with commits of 30. With nothing on the way, a batch commits at once, so a lone
 * operation, or a few clients waiting on each other's commits, are not held back.
 *
 * <p>One failing operation does not undo the others. The batch first runs every operation directly: in
 * the common case none fails, and the two savepoint statements per operation are saved (measured with
 * bench/intake: 10 to 20% of the writer thread's CPU per delivery). When one fails, the whole transaction
 * is rolled back and the batch runs again with each operation inside its own savepoint. So an operation
 * may run more than once, and must do nothing outside the connection it is given (its earlier run was
 * rolled back).
 *
 * <p>The writer keeps one connection for its life, so operations can reuse prepared statements through
 * {@link #prepared}. A caller that must not wait long (webhook intake answers within Bitbucket's 10 s)
 * gives {@link #submit(SqlOp, Duration)} a limit: a watchdog thread fails the future when it passes, even
 * while the writer is stuck in an fsync. The caller then waits without a timeout of its own: a timed wait
 * of a virtual thread schedules and cancels a timer task per call (with the kept statements, this took a
 * fifth off a delivery's CPU on the intake path and 2.8 context switches to 0.8: bench/README.md).
 */
public final class SqliteWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long DEADLINE_CHECK_MS = 100;
    /** How often a batch's open window looks for operations that arrived. */
    private static final long STEP_NANOS = 100_000;
    /** The longest a batch's transaction stays open for more operations. */
    private static final long WINDOW_MAX_NANOS = 1_000_000;
    /** A batch this large commits without waiting for more. */
    private static final int WINDOW_TARGET = 64;
    private static final PendingOp<?>[] NONE = new PendingOp<?>[0];
    /** How long {@link #close} waits for the writer (and its syncer) to finish what is queued. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final String name;
    private final DataSource dataSource;
    private final BlockingQueue<PendingOp<?>> queue;
    /** Null when each commit is durable by itself ({@code Sync.NORMAL}: durable enough). */
    private final WalSyncer syncer;
    private final Thread thread;
    private final Timer commitTimer;
    private final DistributionSummary batchSize;
    private final Counter commitFailures;
    private final Counter timeouts;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private volatile boolean running = true;
    private final Duration closeWait;
    /** When {@link #stop} gives up waiting ({@link System#nanoTime}); set before {@code running} turns false. */
    private volatile long stopBy;
    /** Set once the writer has stopped and closed its connection. */
    private volatile boolean released;
    /** Operations on their way ({@link #expect}). */
    private final AtomicInteger coming = new AtomicInteger();
    /** The batch being written, for the deadline watchdog. */
    private volatile PendingOp<?>[] inFlight = NONE;
    private volatile Thread watchdog;
    /** The connection the writer keeps (writer thread only). */
    private Connection connection;

    /**
     * @param name the file's short name, used in the thread name, log lines and metric tags
     * @param syncedFile the database file whose WAL a syncer thread fsyncs after each commit, before the
     *     callers hear of it (the connections must commit with {@code synchronous=NORMAL}); null when the
     *     connections' own commits are durable enough
     * @param capacity operations that may wait; beyond it {@link #submit} fails fast (backpressure)
     */
    public SqliteWriter(String name, DataSource dataSource, java.nio.file.Path syncedFile, int capacity,
            MeterRegistry registry) {
        this(name, dataSource, syncedFile, WalSyncer.DATA, capacity, registry);
    }

    /** With the syncer's fsync replaced (tests: which file is synced, a failing disk). */
    SqliteWriter(String name, DataSource dataSource, java.nio.file.Path syncedFile, WalSyncer.Fsync fsync,
            int capacity, MeterRegistry registry) {
        this(name, dataSource, syncedFile, fsync, capacity, registry, CLOSE_WAIT);
    }

    /** With the syncer's fsync and the wait of {@link #close} replaced (tests: a stuck disk at shutdown). */
    SqliteWriter(String name, DataSource dataSource, java.nio.file.Path syncedFile, WalSyncer.Fsync fsync,
            int capacity, MeterRegistry registry, Duration closeWait) {
        this.name = name;
        this.closeWait = closeWait;
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.commitTimer = Timer.builder("bbagent.store.commit")
                .description("Writer time per group-commit batch, from BEGIN to COMMIT, without the steps it slept"
                        + " waiting for more operations")
                .tag("db", name)
                .serviceLevelObjectives(
                        java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5),
                        java.time.Duration.ofMillis(25), java.time.Duration.ofMillis(100),
                        java.time.Duration.ofMillis(500), java.time.Duration.ofSeconds(2))
                .register(registry);
        this.batchSize = DistributionSummary.builder("bbagent.store.batch.size")
                .description("Operations per group-commit batch")
                .tag("db", name)
                .register(registry);
        this.commitFailures = Counter.builder("bbagent.store.commit.failures")
                .description("Batches whose commit failed (disk full, I/O error); every caller got an error")
                .tag("db", name)
                .register(registry);
        this.timeouts = Counter.builder("bbagent.store.timeouts")
                .description("Operations whose caller's wait limit passed before their commit (slow disk)")
                .tag("db", name)
                .register(registry);
        this.syncer = syncedFile == null ? null : new WalSyncer(name, syncedFile, fsync, commitFailures, registry);
        this.thread = Thread.ofPlatform().name("bbagent-writer-" + name).daemon(true).start(this::loop);
    }

    /** Queue an operation; the future completes after the batch holding it has committed. */
    public <T> CompletableFuture<T> submit(SqlOp<T> op) {
        return enqueue(new PendingOp<>(op, 0, 0));
    }

    /**
     * Queue an operation whose future fails with {@link StoreTimeoutException} when it has not committed
     * within {@code maxWait} (checked every 100 ms). The operation may still commit after that.
     */
    public <T> CompletableFuture<T> submit(SqlOp<T> op, Duration maxWait) {
        if (watchdog == null) {
            startWatchdog();
        }
        return enqueue(new PendingOp<>(op, System.nanoTime(), Math.max(1, maxWait.toNanos())));
    }

    private <T> CompletableFuture<T> enqueue(PendingOp<T> p) {
        CompletableFuture<T> future = p.future;
        if (!running) {
            future.completeExceptionally(new StoreException("writer for " + name + " is stopped"));
        } else if (!queue.offer(p)) {
            future.completeExceptionally(new StoreException(
                    "writer for " + name + " is overloaded (" + queue.size() + " operations waiting)"));
        } else if (!running && queue.remove(p)) {
            // close() came between the check and the offer, and the writer may have taken its last look at
            // the queue already: nobody else would answer this one.
            p.fail(new StoreException("writer for " + name + " is stopped"));
        }
        return future;
    }

    /** Run an operation and wait for its commit. */
    public <T> T call(SqlOp<T> op) {
        return await(submit(op));
    }

    /**
     * Run an operation and wait for its commit at most {@code maxWait}; then fails with
     * {@link StoreTimeoutException} (the operation may still commit later).
     */
    public <T> T call(SqlOp<T> op, Duration maxWait) {
        return await(submit(op, maxWait));
    }

    private <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while writing to " + name, e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new StoreException("write to " + name + " failed: " + cause.getMessage(), cause);
        }
    }

    public int waiting() {
        return queue.size();
    }

    /** Say that an operation is on its way: an open batch waits for it (up to 1 ms) until the arrival closes. */
    public Arrival expect() {
        coming.incrementAndGet();
        return Arrival.once(coming::decrementAndGet);
    }

    /**
     * A statement for {@code sql} on the writer's connection, prepared on first use and kept: for operations
     * that run often (one per delivery). Call it only inside an operation of this writer, with the
     * connection the operation got, and do not close the statement.
     */
    public PreparedStatement prepared(Connection c, String sql) throws SQLException {
        if (c != connection || Thread.currentThread() != thread) {
            throw new IllegalStateException("prepared() is for operations running on writer " + name);
        }
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = c.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private synchronized void startWatchdog() {
        if (watchdog == null && running) {
            watchdog = Thread.ofPlatform().name("bbagent-writer-" + name + "-deadlines").daemon(true)
                    .start(this::watchDeadlines);
        }
    }

    /** Until the writer and its syncer have ended: a caller waits on them without a timeout of its own. */
    private void watchDeadlines() {
        while (running || thread.isAlive() || (syncer != null && syncer.alive())) {
            try {
                Thread.sleep(DEADLINE_CHECK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (PendingOp<?> p : queue) {
                expire(p, now);
            }
            for (PendingOp<?> p : inFlight) {
                expire(p, now);
            }
            if (syncer != null) {
                syncer.forEachWaiting(p -> expire(p, now));
            }
        }
    }

    private void expire(PendingOp<?> p, long now) {
        if (p.expired(now) && p.claim()) {
            // Counted first, so a caller that hears of the timeout already sees it in the metric.
            timeouts.increment();
            p.failClaimed(new StoreTimeoutException("not committed to " + name + " within "
                    + Duration.ofNanos(p.maxWaitNanos()).toMillis() + " ms (" + queue.size() + " operations waiting)"));
        }
    }

    private void loop() {
        List<PendingOp<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                PendingOp<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                inFlight = batch.toArray(NONE);
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.error("writer {}: unexpected failure, failing {} waiting operations", name, batch.size(), e);
                PendingOp.failAll(batch, e);
            } finally {
                inFlight = NONE;
                batch.clear();
            }
        }
        List<PendingOp<?>> rest = new ArrayList<>();
        queue.drainTo(rest);
        PendingOp.failAll(rest, new StoreException("writer for " + name + " stopped"));
        if (syncer != null) {
            // The last commits become durable before the connection closes. A syncer stuck in an fsync (a
            // hung disk) is waited for only until stop() gives up: its callers are then told, and this thread
            // keeps waiting, because closing the connection would checkpoint on the same disk.
            long by = stopBy != 0 ? stopBy : System.nanoTime() + closeWait.toNanos();
            if (!syncer.stop(by)) {
                LOG.warn("writer {}: the fsync of its write-ahead log has not finished after {} (a stuck disk?); "
                        + "its connection stays open until it does or the process exits", name,
                        Durations.format(closeWait));
                syncer.await();
            }
        }
        release();
        released = true;
    }

    /** The writer's connection, opened on first use and kept for the writer's life. */
    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = dataSource.getConnection();
        }
        return connection;
    }

    private void closeStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // dropping it anyway
            }
        }
        statements.clear();
    }

    private void release() {
        closeStatements();
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.warn("writer {}: closing its connection failed: {}", name, e.getMessage());
            }
            connection = null;
        }
    }

    /** Run a transaction-control statement ("BEGIN IMMEDIATE", "COMMIT", ...) through a kept statement. */
    private void tx(Connection c, String sql) throws SQLException {
        prepared(c, sql).execute();
    }

    private void runBatch(List<PendingOp<?>> batch) {
        StoreException broken = syncer == null ? null : syncer.broken();
        if (broken != null) {
            commitFailures.increment();
            PendingOp.failAll(batch, broken);
            return;
        }
        long start = System.nanoTime();
        long slept = 0;
        // Transactions are plain SQL on an auto-commit connection: BEGIN IMMEDIATE takes the write lock up
        // front (another process, such as a CLI command, waits on busy_timeout instead of failing midway),
        // and nothing depends on the driver's idea of the transaction state after SQLite aborts one itself.
        try {
            Connection c = connection();
            tx(c, "BEGIN IMMEDIATE");
            try {
                Exception failed = runAll(c, batch, 0);
                // Keep the transaction open while operations keep arriving (see the class comment).
                long windowEnd = start + WINDOW_MAX_NANOS;
                while (failed == null && batch.size() < WINDOW_TARGET && System.nanoTime() < windowEnd
                        && (coming.get() > 0 || !queue.isEmpty())) {
                    if (queue.isEmpty()) {
                        long t = System.nanoTime();
                        LockSupport.parkNanos(STEP_NANOS);
                        slept += System.nanoTime() - t;
                    }
                    int from = batch.size();
                    if (queue.drainTo(batch, MAX_BATCH - from) > 0) {
                        inFlight = batch.toArray(NONE);
                        failed = runAll(c, batch, from);
                    }
                }
                if (failed != null) {
                    // A statement that failed may be left unusable by the driver: prepare afresh.
                    closeStatements();
                    restart(c, failed);
                    if (batch.size() == 1) {
                        // Nothing else to keep: the rollback already undid this operation.
                        batch.getFirst().failed(failed);
                    } else {
                        for (PendingOp<?> p : batch) {
                            runOne(c, p);
                        }
                    }
                }
                tx(c, "COMMIT");
            } catch (SQLException | RuntimeException | Error e) {
                // Whatever went wrong, the transaction must not stay open: every later BEGIN would fail, and
                // other processes would wait on its write lock.
                closeStatements();
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            closeStatements();
            commitFailures.increment();
            LOG.error("writer {}: commit of {} operations failed: {}", name, batch.size(), e.getMessage());
            PendingOp.failAll(batch, new StoreException("could not write to " + name + ": " + e.getMessage(), e));
            return;
        }
        commitTimer.record(System.nanoTime() - start - slept, TimeUnit.NANOSECONDS);
        batchSize.record(batch.size());
        if (syncer != null) {
            syncer.add(batch.toArray(NONE));
        } else {
            for (PendingOp<?> p : batch) {
                p.complete();
            }
        }
    }

    /**
     * The fast path: every operation straight in the transaction. Returns null when all succeeded, else the
     * first failure; the transaction then holds partial work and must be rolled back.
     */
    private static Exception runAll(Connection c, List<PendingOp<?>> batch, int from) {
        for (PendingOp<?> p : batch.subList(from, batch.size())) {
            try {
                p.ran(p.op.apply(c));
            } catch (SQLException | RuntimeException e) {
                return e;
            }
        }
        return null;
    }

    /** Roll back the fast path's partial work and begin again; fails with {@code cause} if SQLite gave up. */
    private void restart(Connection c, Exception cause) throws SQLException {
        try {
            tx(c, "ROLLBACK");
            tx(c, "BEGIN IMMEDIATE");
        } catch (SQLException gone) {
            // SQLite rolls the whole transaction back by itself on SQLITE_FULL and I/O errors; then the
            // batch is lost and every caller must hear the original reason ("database or disk is full").
            SQLException original = cause instanceof SQLException se ? se : new SQLException(cause.getMessage(), cause);
            original.addSuppressed(gone);
            throw original;
        }
    }

    private void runOne(Connection c, PendingOp<?> p) throws SQLException {
        tx(c, "SAVEPOINT op");
        try {
            p.ran(p.op.apply(c));
            tx(c, "RELEASE op");
        } catch (SQLException | RuntimeException e) {
            closeStatements();
            try {
                tx(c, "ROLLBACK TO op");
                tx(c, "RELEASE op");
            } catch (SQLException gone) {
                // SQLite rolls the whole transaction back by itself on SQLITE_FULL and I/O errors; then the
                // batch is lost and every caller must hear the original reason ("database or disk is full").
                SQLException original = e instanceof SQLException se ? se : new SQLException(e.getMessage(), e);
                original.addSuppressed(gone);
                throw original;
            }
            p.failed(e);
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            tx(c, "ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is already broken; the original error is what matters
        }
    }

    /**
     * Null while this writer can take writes; otherwise why it cannot until the process restarts: an fsync
     * of the write-ahead log failed (see {@code WalSyncer#broken}), or its thread ended while it should
     * run. {@code /health/live} answers 503 with it, so a supervisor restarts bbagent.
     */
    public String fatalProblem() {
        StoreException broken = syncer == null ? null : syncer.broken();
        if (broken != null) {
            return broken.getMessage();
        }
        if (running && !thread.isAlive()) {
            return "the writer thread of " + name + " has ended: restart bbagent";
        }
        return null;
    }

    /** Stop taking work, finish what is queued, and wait for the thread (see {@link #stop}). */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stop taking work, finish what is queued and make it durable, and close the connection, waiting at
     * most {@link #CLOSE_WAIT}, so a stuck disk cannot hold a shutdown for ever. Returns true when all that
     * is done. Otherwise every caller still waiting is failed with the reason (their writes may or may not
     * reach the disk), the writer's connection stays open for the process exit, and false is returned.
     */
    public boolean stop() {
        stopBy = System.nanoTime() + closeWait.toNanos();
        running = false;
        try {
            long left = stopBy - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
            // The watchdog ends by itself once the writer and the syncer have (within 100 ms).
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (released) {
            return true;
        }
        StoreException gaveUp = new StoreException("writer for " + name + " did not finish within "
                + Durations.format(closeWait) + " of the shutdown (a stuck disk?): this write may not be durable");
        PendingOp.failAll(queue, gaveUp);
        PendingOp.failAll(java.util.Arrays.asList(inFlight), gaveUp);
        if (syncer != null) {
            syncer.forEachWaiting(p -> p.fail(gaveUp));
        }
        LOG.warn("writer {}: not stopped after {} (a stuck disk?); the operations still waiting were failed",
                name, Durations.format(closeWait));
        return false;
    }
}
