package dev.bbagent.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
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

    private final String name;
    private final Path wal;
    private final BlockingQueue<PendingOp<?>[]> committed = new LinkedBlockingQueue<>();
    private final Timer syncTimer;
    private final Counter failures;
    private final Thread thread;
    private volatile boolean running = true;
    /** The batches in the fsync running now, for the deadline watchdog. */
    private volatile List<PendingOp<?>[]> syncing = List.of();
    private FileChannel channel;

    WalSyncer(String name, Path database, Counter failures, MeterRegistry registry) {
        this.name = name;
        this.wal = database.resolveSibling(database.getFileName() + "-wal");
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
        long start = System.nanoTime();
        try {
            FileChannel ch = channel();
            if (ch != null) {
                ch.force(false);
            }
        } catch (IOException e) {
            failures.increment();
            LOG.error("sync {}: fsync of {} failed, failing {} committed batches: {}", name, wal, group.size(),
                    e.toString());
            closeChannel();
            fail(group, new StoreException("could not make the write to " + name + " durable (fsync of " + wal
                    + " failed: " + e.getMessage() + ")", e));
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
     * The WAL, opened on first use; null when there is none. SQLite deletes the WAL only after copying all
     * of it into the database and syncing that, so without a WAL every commit is already durable.
     */
    private FileChannel channel() throws IOException {
        if (channel == null) {
            try {
                channel = FileChannel.open(wal, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                return null;
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
            for (PendingOp<?> p : batch) {
                p.fail(error);
            }
        }
    }

    /** Sync what was committed, then stop. Call after the writer has stopped committing. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
