package dev.bbagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BBAGENT_DELIVERY_RETENTION_DAYS on a real database file: old deliveries go, recent ones stay, and so does
 * every delivery a job still refers to, including a dead job that may be retried.
 */
class RetentionTest {

    private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    private static final Instant CUTOFF = NOW.minus(Duration.ofDays(30));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(NOW.minus(Duration.ofDays(40)));
    private SqliteStore store;
    private SqliteJobStore jobs;
    private Retention retention;

    @BeforeEach
    void open() {
        store = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.NORMAL, clock, new SimpleMeterRegistry());
        jobs = new SqliteJobStore(store.file());
        retention = new Retention(store, jobs);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static Delivery delivery(String id, Instant receivedAt) {
        return new Delivery(id, "cloud", "pullrequest:created", "pull_request.opened", "a/b", "a/b#pr-1", "accepted", 1,
                receivedAt, Map.of("X-Event-Key", "pullrequest:created"),
                // Each its own event: the store queues no jobs again for the same event under a new id.
                ("{\"pullrequest\":{\"id\":1},\"delivery\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
                List.of("review"));
    }

    /** Store a delivery received at {@code at} with one job, and return the job's id. */
    private long withJob(String id, Instant at) throws Exception {
        clock.advance(Duration.between(clock.instant(), at));
        // Each its own concurrency key, so any of them can be claimed.
        NewJob job = new NewJob("review", "v1", "a/b", "a/b#pr-1", id, id, false, Duration.ZERO, 1);
        assertThat(store.insert(delivery(id, at), List.of(job)).get()).isTrue();
        return jobs.jobsOfDelivery(id).getFirst().id();
    }

    /** Run the job to the end at {@code at}: succeeded, or dead after its one attempt. */
    private void finish(long job, Instant at, boolean ok) {
        assertThat(jobs.claim(List.of(job), "w", at, Duration.ofMinutes(5))).hasSize(1);
        assertThat(ok ? jobs.succeed(job, "w", at, "done") : jobs.fail(job, "w", at, "broken", at, true)).isTrue();
    }

    @Test
    void oldDeliveriesGoRecentOnesAndThoseAJobStillNeedsStay() throws Exception {
        Instant old = NOW.minus(Duration.ofDays(40));
        assertThat(store.insert(delivery("old-no-job", old)).get()).isTrue();
        assertThat(store.insert(delivery("recent", NOW.minus(Duration.ofDays(1)))).get()).isTrue();
        long finishedLongAgo = withJob("old-job-finished-long-ago", old);
        finish(finishedLongAgo, old.plus(Duration.ofHours(1)), true);
        long queued = withJob("old-job-queued", old.plus(Duration.ofMinutes(1)));
        long deadRecently = withJob("old-job-dead-recently", old.plus(Duration.ofMinutes(2)));
        finish(deadRecently, NOW.minus(Duration.ofDays(2)), false);

        Retention.Deleted deleted = retention.pruneBefore(CUTOFF);

        assertThat(deleted.jobs()).isEqualTo(1);
        assertThat(deleted.deliveries()).isEqualTo(2);
        assertThat(store.get("old-no-job")).isEmpty();
        assertThat(store.get("old-job-finished-long-ago")).isEmpty();
        assertThat(jobs.job(finishedLongAgo)).isEmpty();
        assertThat(store.get("recent")).isPresent();
        // A queued job runs with its delivery; a dead one can be retried, which reads its delivery.
        assertThat(store.get("old-job-queued")).isPresent();
        assertThat(jobs.job(queued)).isPresent();
        assertThat(store.get("old-job-dead-recently")).isPresent();
        assertThat(jobs.retry(deadRecently, NOW)).isTrue();

        // A second pass finds nothing more.
        assertThat(retention.pruneBefore(CUTOFF)).isEqualTo(new Retention.Deleted(0, 0));
    }

    @Test
    void manyOldDeliveriesAreDeletedInChunksUntilNoneIsLeft() throws Exception {
        Instant old = NOW.minus(Duration.ofDays(31));
        List<CompletableFuture<Boolean>> stored = new ArrayList<>();
        for (int i = 0; i < 4_500; i++) {
            stored.add(store.insert(delivery("bulk-" + i, old.plusMillis(i))));
        }
        CompletableFuture.allOf(stored.toArray(CompletableFuture[]::new)).get();
        assertThat(store.insert(delivery("after-cutoff", CUTOFF)).get()).isTrue();

        Retention.Deleted deleted = retention.pruneBefore(CUTOFF);

        // Chunks of 2,000: three writer transactions, each short enough not to hold intake back.
        assertThat(deleted.deliveries()).isEqualTo(4_500);
        assertThat(store.list(null, 10)).extracting(DeliverySummary::id).containsExactly("after-cutoff");
    }
}
