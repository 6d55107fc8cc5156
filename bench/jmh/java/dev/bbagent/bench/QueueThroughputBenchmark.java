package dev.bbagent.bench;

import dev.bbagent.queue.JobOutcome;
import dev.bbagent.queue.QueueSettings;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.NewJob;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteJobStore;
import dev.bbagent.store.SqliteStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Queue throughput: {@value #JOBS} jobs over 1,000 concurrency keys in 50 repositories, drained by a
 * pool of 16 workers with a no-op handler. Each job is claimed (a conditional update with a lease) and
 * completed (another), both durable in SQLite. The score is wall time per job; jobs/s is its inverse.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
public class QueueThroughputBenchmark {

    static final int JOBS = 10_000;

    @Param({"16"})
    int workers;

    @Param({"full"})
    String sync;

    Path dir;
    SqliteStore store;
    SqliteJobStore jobs;
    WorkerPool pool;
    java.util.concurrent.CountDownLatch handled;

    @Setup(Level.Invocation)
    public void fill() throws Exception {
        dir = Files.createTempDirectory("bbagent-queue-bench");
        store = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.valueOf(sync.toUpperCase()),
                Clock.systemUTC(), new SimpleMeterRegistry());
        jobs = new SqliteJobStore(store.file());
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String repo = "ws/repo-" + (i % 50);
            String key = repo + "#pr-" + (i % 1000);
            batch.add(new NewJob("bench", "v1", repo, key, key, key, false, Duration.ZERO, 3));
            if (batch.size() == 500) {
                jobs.enqueue("delivery-" + i, batch, Clock.systemUTC().instant());
                batch.clear();
            }
        }
        handled = new java.util.concurrent.CountDownLatch(JOBS);
        pool = new WorkerPool(jobs, ctx -> {
                    handled.countDown();
                    return JobOutcome.success("ok");
                },
                QueueSettings.defaults(workers, 0, "bench"), Clock.systemUTC(), new SimpleMeterRegistry());
    }

    @Benchmark
    @OperationsPerInvocation(JOBS)
    public int drain() throws InterruptedException {
        pool.start();
        handled.await(); // every job ran; now wait for the last completions to be committed
        while (jobs.countsByState().get("succeeded") < JOBS) {
            Thread.sleep(1);
        }
        return JOBS;
    }

    @TearDown(Level.Invocation)
    public void clean() throws Exception {
        pool.shutdown(Duration.ZERO);
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
