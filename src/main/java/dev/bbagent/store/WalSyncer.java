package dev.bbagent.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a {@link SqliteWriter}'s commits durable off the writer thread: {@code BBAGENT_DB_SYNC=full} as a
 * pipeline. The connections commit with {@code synchronous=NORMAL} (no fsync per commit); after each
 * commit the writer hands the batch here and goes on with the next one, while this thread fsyncs the
 * write-ahead log and only then completes the callers' futures. One fsync covers every batch committed
 * before it started, so batches that commit while an fsync runs share the next one.
 *
 * <p>A caller hears of its operation only after an fsync of the WAL that began after its commit, as with
 * {@code synchronous=FULL}; SQLite's NORMAL mode still syncs the WAL before each checkpoint and the
 * database after it. What differs: other connections may read a committed row up to one fsync before it is
 * durable (a worker could claim a job whose delivery a power cut then takes away; its sender was never
 * answered and sends it again). The writer keeps its connection open, so SQLite never deletes the WAL
 * file under this thread's open handle.
 */
final class WalSyncer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WalSyncer.class);

    /** How the WAL is made durable; tests replace it to see which file is synced, or to fail. */
    interface Fsync {
        void force(FileChannel channel, Path wal) throws IOException;
    }

    /** {@code fdatasync(2)}: the WAL's data and the metadata needed to read it back. */
    static final Fsync DATA = (channel, wal) -> channel.force(false);

    private final String name;
    private final Path database;
    private final Fsync fsync;
    /** The WAL's real path (SQLite resolves a symbolic link to the database and puts the WAL beside its target). */
    private Path wal;
    /** Set when an fsync failed: nothing written since can be trusted to be on disk (see {@link #broken}). */
    private volatile StoreException broken;
    private final BlockingQueue<PendingOp<?>[]> committed = new LinkedBlockingQueue<>();
    private final Timer syncTimer;
    private final Counter failures;
    private final Thread thread;
    private volatile boolean running = true;
    /** The batches in the fsync running now, for the deadline watchdog. */
    private volatile List<PendingOp<?>[]> syncing = List.of();
    private FileChannel channel;

    WalSyncer(String name, Path database, Fsync fsync, Counter failures, MeterRegistry registry) {
        this.name = name;
        this.database = database;
        this.fsync = fsync;
        this.failures = failures;
        this.syncTimer = Timer.builder("bbagent.store.sync")
                .description("Time to fsync the write-ahead log for the batches committed before it")
                .tag("db", name)
                .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(25),
                        Duration.ofMillis(100), Duration.ofMillis(500), Duration.ofSeconds(2))
                .register(registry);
        this.thread = Thread.ofPlatform().name("bbagent-sync-" + name).daemon(true).start(this::loop);
    }

    /** A committed batch: its operations' futures complete after the next fsync. */
    void add(PendingOp<?>[] batch) {
        committed.add(batch);
    }

    /**
     * Non-null once an fsync of the WAL has failed. The rows committed since the last good fsync are visible
     * but may not be on disk, and Linux reports a failed writeback once: a later fsync that succeeds proves
     * nothing. So, as PostgreSQL does, the file is written no more until the process restarts and SQLite
     * recovers it from what the disk really holds; the writer fails every operation with this.
     */
    StoreException broken() {
        return broken;
    }

    boolean alive() {
        return thread.isAlive();
    }

    /** Every operation committed and not yet durable. */
    void forEachWaiting(Consumer<PendingOp<?>> action) {
        for (PendingOp<?>[] batch : committed) {
            for (PendingOp<?> p : batch) {
                action.accept(p);
            }
        }
        for (PendingOp<?>[] batch : syncing) {
            for (PendingOp<?> p : batch) {
                action.accept(p);
            }
        }
    }

    private void loop() {
        List<PendingOp<?>[]> group = new ArrayList<>();
        while (running || !committed.isEmpty()) {
            try {
                PendingOp<?>[] first = committed.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                committed.drainTo(group);
                syncing = List.copyOf(group);
                sync(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                LOG.error("sync {}: unexpected failure, failing {} committed batches", name, group.size(), e);
                fail(group, new StoreException("could not make the write to " + name + " durable: " + e, e));
            } finally {
                syncing = List.of();
                group.clear();
            }
        }
        List<PendingOp<?>[]> rest = new ArrayList<>();
        committed.drainTo(rest);
        fail(rest, new StoreException("sync for " + name + " stopped before these writes were durable"));
        closeChannel();
    }

    private void sync(List<PendingOp<?>[]> group) {
        StoreException stop = broken;
        if (stop != null) {
            fail(group, stop);
            return;
        }
        long start = System.nanoTime();
        try {
            fsync.force(channel(), wal);
        } catch (IOException e) {
            failures.increment();
            Path file = wal == null ? database.resolveSibling(database.getFileName() + "-wal") : wal;
            StoreException cause = new StoreException("fsync of " + file + " failed (" + e + "): the writes since "
                    + "the last good fsync may not be on disk, and the system may not report it again, so bbagent "
                    + "writes no more to " + name + ". Check the disk, then restart bbagent: SQLite recovers the "
                    + "database from what is on disk (the deliveries it did not confirm were answered 503)", e);
            broken = cause;
            LOG.error("sync {}: {} ({} committed batches failed)", name, cause.getMessage(), group.size());
            closeChannel();
            fail(group, cause);
            return;
        }
        syncTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        for (PendingOp<?>[] batch : group) {
            for (PendingOp<?> p : batch) {
                p.complete();
            }
        }
    }

    /**
     * The WAL, opened on first use. It exists after any commit in WAL mode and stays while the writer keeps
     * its connection open, so a missing WAL is an error (a database not in WAL mode, or a file removed
     * under bbagent), never "nothing to sync".
     */
    private FileChannel channel() throws IOException {
        if (channel == null) {
            if (wal == null) {
                Path real = database.toRealPath();
                wal = real.resolveSibling(real.getFileName() + "-wal");
            }
            channel = FileChannel.open(wal, StandardOpenOption.WRITE);
            // The WAL is created when the writer first commits after opening the file: its directory entry
            // must be durable too (SQLite's NORMAL mode does not sync it). Once per open WAL.
            try (FileChannel folder = FileChannel.open(wal.getParent(), StandardOpenOption.READ)) {
                folder.force(true);
            } catch (IOException e) {
                channel.close();
                channel = null;
                throw e;
            }
        }
        return channel;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // reopened on the next sync
            }
            channel = null;
        }
    }

    private static void fail(List<PendingOp<?>[]> batches, Throwable error) {
        for (PendingOp<?>[] batch : batches) {
            PendingOp.failAll(java.util.Arrays.asList(batch), error);
        }
    }

    /** Sync what was committed, then stop, waiting at most {@link SqliteWriter#CLOSE_WAIT}. */
    @Override
    public void close() {
        stop(System.nanoTime() + SqliteWriter.CLOSE_WAIT.toNanos());
    }

    /**
     * Sync what was committed, then stop. Call after the writer has stopped committing. Waits until
     * {@code deadline} ({@link System#nanoTime}); if an fsync is still running then (a stuck disk), every
     * caller still waiting is failed, since their writes may not be durable, and false is returned.
     */
    boolean stop(long deadline) {
        running = false;
        try {
            long left = deadline - System.nanoTime();
            if (left > 0) {
                thread.join(Duration.ofNanos(left));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive()) {
            return true;
        }
        Path file = wal == null ? database.resolveSibling(database.getFileName() + "-wal") : wal;
        forEachWaiting(p -> p.fail(new StoreException("bbagent is stopping and the fsync of " + file
                + " has not finished (a stuck disk?): this write may not be durable")));
        return false;
    }

    /** Wait for the thread to end, however long the fsync it is in takes. */
    void await() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
