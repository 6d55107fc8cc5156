package dev.bbagent.store;

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
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one SQLite file, with group commit: a platform thread takes every operation
 * waiting, runs them in one transaction, commits once, then completes the callers' futures. A future
 * completes only after the commit, so a caller that waits on it knows the row is durable.
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
 * of a virtual thread schedules and cancels a timer task per call, which cost a quarter of a delivery's
 * CPU on the intake path (bench/README.md).
 */
public final class SqliteWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteWriter.class);
    private static final int MAX_BATCH = 512;
    private static final long DEADLINE_CHECK_MS = 100;
    private static final Pending<?>[] NONE = new Pending<?>[0];

    private final String name;
    private final DataSource dataSource;
    private final BlockingQueue<Pending<?>> queue;
    private final Thread thread;
    private final Timer commitTimer;
    private final DistributionSummary batchSize;
    private final Counter commitFailures;
    private final Counter timeouts;
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private volatile boolean running = true;
    /** The batch being written, for the deadline watchdog. */
    private volatile Pending<?>[] inFlight = NONE;
    private Thread watchdog;
    /** The connection the writer keeps (writer thread only). */
    private Connection connection;

    /** {@code maxWaitNanos} 0: no limit. */
    private record Pending<T>(SqlOp<T> op, CompletableFuture<T> future, long submitted, long maxWaitNanos) {

        boolean expired(long now) {
            return maxWaitNanos > 0 && now - submitted >= maxWaitNanos && !future.isDone();
        }
    }

    /**
     * @param name the file's short name, used in the thread name, log lines and metric tags
     * @param capacity operations that may wait; beyond it {@link #submit} fails fast (backpressure)
     */
    public SqliteWriter(String name, DataSource dataSource, int capacity, MeterRegistry registry) {
        this.name = name;
        this.dataSource = dataSource;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.commitTimer = Timer.builder("bbagent.store.commit")
                .description("Time to write and commit one group-commit batch")
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
        this.thread = Thread.ofPlatform().name("bbagent-writer-" + name).daemon(true).start(this::loop);
    }

    /** Queue an operation; the future completes after the batch holding it has committed. */
    public <T> CompletableFuture<T> submit(SqlOp<T> op) {
        return enqueue(new Pending<>(op, new CompletableFuture<>(), 0, 0));
    }

    /**
     * Queue an operation whose future fails with {@link StoreTimeoutException} when it has not committed
     * within {@code maxWait} (checked every 100 ms). The operation may still commit after that.
     */
    public <T> CompletableFuture<T> submit(SqlOp<T> op, Duration maxWait) {
        startWatchdog();
        return enqueue(new Pending<>(op, new CompletableFuture<>(), System.nanoTime(), Math.max(1, maxWait.toNanos())));
    }

    private <T> CompletableFuture<T> enqueue(Pending<T> p) {
        CompletableFuture<T> future = p.future();
        if (!running) {
            future.completeExceptionally(new StoreException("writer for " + name + " is stopped"));
        } else if (!queue.offer(p)) {
            future.completeExceptionally(new StoreException(
                    "writer for " + name + " is overloaded (" + queue.size() + " operations waiting)"));
        }
        return future;
    }

    /** Run an operation and wait for its commit. */
    public <T> T call(SqlOp<T> op) {
        try {
            return submit(op).get();
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

    private void watchDeadlines() {
        while (running) {
            try {
                Thread.sleep(DEADLINE_CHECK_MS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (Pending<?> p : queue) {
                expire(p, now);
            }
            for (Pending<?> p : inFlight) {
                expire(p, now);
            }
        }
    }

    private void expire(Pending<?> p, long now) {
        if (p.expired(now) && p.future().completeExceptionally(new StoreTimeoutException("not committed to " + name
                + " within " + Duration.ofNanos(p.maxWaitNanos()).toMillis() + " ms (" + queue.size()
                + " operations waiting)"))) {
            timeouts.increment();
        }
    }

    private void loop() {
        List<Pending<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Pending<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
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
                failAll(batch, e);
            } finally {
                inFlight = NONE;
                batch.clear();
            }
        }
        List<Pending<?>> rest = new ArrayList<>();
        queue.drainTo(rest);
        failAll(rest, new StoreException("writer for " + name + " stopped"));
        release();
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

    private void runBatch(List<Pending<?>> batch) {
        long start = System.nanoTime();
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> errors = new ArrayList<>(batch.size());
        // Transactions are plain SQL on an auto-commit connection: BEGIN IMMEDIATE takes the write lock up
        // front (another process, such as a CLI command, waits on busy_timeout instead of failing midway),
        // and nothing depends on the driver's idea of the transaction state after SQLite aborts one itself.
        try {
            Connection c = connection();
            tx(c, "BEGIN IMMEDIATE");
            try {
                Exception failed = runAll(c, batch, results, errors);
                if (failed != null) {
                    // A statement that failed may be left unusable by the driver: prepare afresh.
                    closeStatements();
                    restart(c, failed);
                    if (batch.size() == 1) {
                        // Nothing else to keep: the rollback already undid this operation.
                        results.add(null);
                        errors.add(failed);
                    } else {
                        for (int i = 0; i < batch.size(); i++) {
                            runOne(c, batch.get(i), results, errors);
                        }
                    }
                }
                tx(c, "COMMIT");
            } catch (SQLException e) {
                closeStatements();
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            closeStatements();
            commitFailures.increment();
            LOG.error("writer {}: commit of {} operations failed: {}", name, batch.size(), e.getMessage());
            failAll(batch, new StoreException("could not write to " + name + ": " + e.getMessage(), e));
            return;
        }
        commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        batchSize.record(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i), errors.get(i));
        }
    }

    /**
     * The fast path: every operation straight in the transaction. Returns null when all succeeded (their
     * results are in {@code results}), else the first failure, with {@code results} and {@code errors} left
     * empty; the transaction then holds partial work and must be rolled back.
     */
    private static Exception runAll(Connection c, List<Pending<?>> batch, List<Object> results,
            List<Throwable> errors) {
        for (Pending<?> p : batch) {
            try {
                results.add(p.op().apply(c));
                errors.add(null);
            } catch (SQLException | RuntimeException e) {
                results.clear();
                errors.clear();
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

    private void runOne(Connection c, Pending<?> p, List<Object> results, List<Throwable> errors)
            throws SQLException {
        tx(c, "SAVEPOINT op");
        try {
            results.add(p.op().apply(c));
            errors.add(null);
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
            results.add(null);
            errors.add(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Pending<T> p, Object result, Throwable error) {
        if (error != null) {
            p.future().completeExceptionally(error instanceof RuntimeException
                    ? error
                    : new StoreException(error.getMessage(), error));
        } else {
            p.future().complete((T) result);
        }
    }

    private void rollbackQuietly(Connection c) {
        try {
            tx(c, "ROLLBACK");
        } catch (SQLException ignored) {
            // the connection is already broken; the original error is what matters
        }
    }

    private static void failAll(List<Pending<?>> batch, Throwable error) {
        for (Pending<?> p : batch) {
            p.future().completeExceptionally(error);
        }
    }

    /** Stop taking work, finish what is queued, and wait for the thread. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
            Thread w;
            synchronized (this) {
                w = watchdog;
            }
            if (w != null) {
                w.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
