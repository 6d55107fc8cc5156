package dev.bbagent.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.Job;
import dev.bbagent.store.NewJob;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteJobStore;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerPoolTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private SqliteStore main;
    private SqliteJobStore jobs;
    private final List<WorkerPool> pools = new ArrayList<>();
    private int deliveries;

    @BeforeEach
    void open() {
        main = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.NORMAL, clock, registry);
        jobs = new SqliteJobStore(main.file());
    }

    @AfterEach
    void close() {
        pools.forEach(p -> p.shutdown(Duration.ZERO));
        main.close();
    }

    private WorkerPool pool(int workers, int maxPerRepo, String instance, JobHandler handler) {
        QueueSettings s = new QueueSettings(workers, maxPerRepo, Duration.ofSeconds(60), Duration.ofMillis(50), instance,
                new Backoff(Duration.ofSeconds(10), 2.0, 0, Duration.ofMinutes(15)));
        WorkerPool p = new WorkerPool(jobs, handler, s, clock, registry);
        pools.add(p);
        return p;
    }

    /** Queue one job the way intake does: a delivery and its job in one transaction. */
    private long enqueue(String rule, String repo, String key, boolean supersede, Duration debounce, int maxAttempts) {
        String id = "d-" + (++deliveries);
        NewJob job = new NewJob(rule, "v1", repo, key, key, key, supersede, debounce, maxAttempts);
        main.insert(new Delivery(id, "cloud", "pullrequest:updated", "pull_request.updated", repo, key, "accepted", 1,
                // A body of its own: the same event under a new delivery id queues no jobs again.
                clock.instant(), Map.of(), ("{\"delivery\":\"" + id + "\"}").getBytes(), List.of(rule)),
                List.of(job)).join();
        return jobs.jobsOfDelivery(id).getFirst().id();
    }

    private long enqueue(String repo, String key) {
        return enqueue("review", repo, key, false, Duration.ZERO, 3);
    }

    private Job job(long id) {
        return jobs.job(id).orElseThrow();
    }

    @Test
    void jobsOfOneKeyRunOneAtATimeInOrder() throws Exception {
        Map<String, List<Long>> order = new ConcurrentHashMap<>();
        Set<String> active = ConcurrentHashMap.newKeySet();
        AtomicInteger overlaps = new AtomicInteger();
        List<Long> expected = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String key = "acme/w#pr-" + (i % 3);
            long id = enqueue("acme/w", key);
            if (i % 3 == 0) {
                expected.add(id);
            }
        }
        WorkerPool pool = pool(8, 0, "a", ctx -> {
            String key = ctx.job().concurrencyKey();
            if (!active.add(key)) {
                overlaps.incrementAndGet();
            }
            order.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>())).add(ctx.job().id());
            Thread.sleep(2);
            active.remove(key);
            return JobOutcome.success("ok");
        });
        pool.start();

        awaitState(expected.getLast(), Job.SUCCEEDED);
        for (int k = 0; k < 3; k++) {
            awaitCount(Job.SUCCEEDED, 30);
        }

        assertThat(overlaps.get()).isZero();
        assertThat(order.get("acme/w#pr-0")).containsExactlyElementsOf(expected);
        order.values().forEach(ids -> assertThat(ids).isSorted());
    }

    @Test
    void candidatesAreTheDueHeadsOfEachKeyInterleavedAcrossRepositories() {
        long k1first = enqueue("big/a", "big/a#pr-1");
        long k1second = enqueue("big/a", "big/a#pr-1");
        long k2 = enqueue("big/a", "big/a#pr-2");
        long k3first = enqueue("big/a", "big/a#pr-3");
        enqueue("big/a", "big/a#pr-3");
        long other = enqueue("small/b", "small/b#pr-1");
        assertThat(jobs.claim(List.of(k1first), "someone", clock.instant(), Duration.ofMinutes(1))).hasSize(1);

        // k1's next job waits for the running one, k3's second for k3's first; each repository's oldest come first.
        assertThat(jobs.candidates(clock.instant(), 10, 5)).extracting(c -> c.id())
                .containsExactly(k2, other, k3first)
                .doesNotContain(k1second);
        assertThat(jobs.candidates(clock.instant(), 10, 1)).extracting(c -> c.id()).containsExactly(k2, other);
        assertThat(jobs.candidates(clock.instant(), 1, 5)).extracting(c -> c.id()).containsExactly(k2);

        // A deep queue in one repository does not hide the others.
        for (int i = 0; i < 500; i++) {
            enqueue("big/a", "big/a#pr-" + (100 + i));
        }
        long late = enqueue("late/c", "late/c#pr-1");
        assertThat(jobs.candidates(clock.instant(), 4, 4)).extracting(c -> c.id()).contains(k2, other, late);
    }

    @Test
    void jobsThatFinishInstantlyNeverLeakWorkerSlots() throws Exception {
        long last = 0;
        for (int i = 0; i < 300; i++) {
            last = enqueue("acme/w", "acme/w#pr-" + i);
        }
        WorkerPool pool = pool(2, 0, "a", ctx -> JobOutcome.success("ok"));
        pool.start();

        awaitCount(Job.SUCCEEDED, 300);

        assertThat(job(last).state()).isEqualTo(Job.SUCCEEDED);
        assertThat(pool.runningCount()).isZero();
    }

    @Test
    void aBusyRepositoryCannotTakeEveryWorker() throws Exception {
        for (int i = 0; i < 40; i++) {
            enqueue("busy/repo", "busy/repo#pr-" + i);
        }
        long quiet1 = enqueue("quiet/one", "quiet/one#pr-1");
        long quiet2 = enqueue("quiet/two", "quiet/two#pr-1");
        CountDownLatch release = new CountDownLatch(1);
        Set<String> repos = ConcurrentHashMap.newKeySet();
        WorkerPool pool = pool(4, 0, "a", ctx -> {
            repos.add(ctx.job().repo());
            release.await();
            return JobOutcome.success("ok");
        });

        assertThat(pool.runOnce()).isEqualTo(4);

        assertThat(job(quiet1).state()).isEqualTo(Job.RUNNING);
        assertThat(job(quiet2).state()).isEqualTo(Job.RUNNING);
        release.countDown();
    }

    @Test
    void thePerRepositoryLimitHoldsAcrossCycles() throws Exception {
        for (int i = 0; i < 10; i++) {
            enqueue("busy/repo", "busy/repo#pr-" + i);
        }
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = pool(8, 2, "a", ctx -> {
            release.await();
            return JobOutcome.success("ok");
        });

        assertThat(pool.runOnce()).isEqualTo(2);
        assertThat(pool.runOnce()).isZero();
        assertThat(jobs.runningByRepo()).containsEntry("busy/repo", 2);
        release.countDown();
    }

    @Test
    void aNewerJobSupersedesTheQueuedOlderOneButNotARunningOne() throws Exception {
        long first = enqueue("review", "acme/w", "acme/w#pr-1", true, Duration.ZERO, 3);
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = pool(2, 0, "a", ctx -> {
            release.await();
            return JobOutcome.success("ok");
        });
        pool.runOnce();
        long second = enqueue("review", "acme/w", "acme/w#pr-1", true, Duration.ZERO, 3);
        long third = enqueue("review", "acme/w", "acme/w#pr-1", true, Duration.ZERO, 3);

        assertThat(job(first).state()).isEqualTo(Job.RUNNING);
        assertThat(job(second).state()).isEqualTo(Job.SUPERSEDED);
        assertThat(job(second).supersededBy()).isEqualTo(third);
        assertThat(job(third).state()).isEqualTo(Job.QUEUED);
        release.countDown();
        awaitState(first, Job.SUCCEEDED);
        pool.runOnce();
        awaitState(third, Job.SUCCEEDED);
    }

    @Test
    void aDebouncedJobWaitsForAQuietPeriodThatNewerEventsExtend() throws Exception {
        WorkerPool pool = pool(2, 0, "a", ctx -> JobOutcome.success("ok"));
        long first = enqueue("review", "acme/w", "acme/w#pr-1", false, Duration.ofSeconds(30), 3);
        clock.advance(Duration.ofSeconds(20));
        long second = enqueue("review", "acme/w", "acme/w#pr-1", false, Duration.ofSeconds(30), 3);

        clock.advance(Duration.ofSeconds(15)); // 35 s after the first event, 15 s after the second
        assertThat(pool.runOnce()).isZero();
        assertThat(job(first).notBefore()).isEqualTo(job(second).notBefore());

        clock.advance(Duration.ofSeconds(15));
        assertThat(pool.runOnce()).isEqualTo(1);
        awaitState(first, Job.SUCCEEDED);
    }

    @Test
    void transientFailuresBackOffExponentiallyAndHonourRetryAfter() throws Exception {
        List<JobOutcome> script = new ArrayList<>(List.of(
                JobOutcome.transientFailure("429 from the LLM"),
                JobOutcome.transientFailure("429 from the LLM"),
                JobOutcome.transientFailure("rate limited", Duration.ofMinutes(2)),
                JobOutcome.success("done")));
        WorkerPool pool = pool(1, 0, "a", ctx -> script.removeFirst());
        long id = enqueue("review", "acme/w", "acme/w#pr-1", false, Duration.ZERO, 4);
        Instant t0 = clock.instant();

        pool.runOnce();
        awaitState(id, Job.RETRYING);
        assertThat(job(id).notBefore()).isEqualTo(t0.plusSeconds(10));
        assertThat(job(id).lastError()).isEqualTo("attempt 1 of 4: 429 from the LLM");
        assertThat(pool.runOnce()).isZero();

        clock.advance(Duration.ofSeconds(10));
        pool.runOnce();
        awaitAttempts(id, 2, Job.RETRYING);
        assertThat(job(id).notBefore()).isEqualTo(t0.plusSeconds(30));

        clock.advance(Duration.ofSeconds(20));
        pool.runOnce();
        awaitAttempts(id, 3, Job.RETRYING);
        assertThat(job(id).notBefore()).isEqualTo(t0.plusSeconds(30 + 120));

        clock.advance(Duration.ofSeconds(120));
        pool.runOnce();
        awaitState(id, Job.SUCCEEDED);
        assertThat(job(id).attempts()).isEqualTo(4);
        assertThat(job(id).result()).isEqualTo("done");
    }

    @Test
    void jitterKeepsTheWaitWithinItsBounds() {
        Backoff b = new Backoff(Duration.ofSeconds(10), 2.0, 0.5, Duration.ofMinutes(15));

        for (int i = 0; i < 50; i++) {
            assertThat(b.after(1, null)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(15));
            assertThat(b.after(3, null)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(60));
            assertThat(b.after(20, null)).isLessThanOrEqualTo(Duration.ofMinutes(15));
        }
    }

    @Test
    void aJobIsDeadAfterItsLastAttemptOrAPermanentFailure() throws Exception {
        WorkerPool pool = pool(2, 0, "a", ctx -> ctx.job().rule().equals("perm")
                ? JobOutcome.permanentFailure("rule refers to a tool that does not exist")
                : JobOutcome.transientFailure("still down"));
        long flaky = enqueue("flaky", "acme/w", "acme/w#pr-1", false, Duration.ZERO, 2);
        long perm = enqueue("perm", "acme/w", "acme/w#pr-2", false, Duration.ZERO, 5);

        pool.runOnce();
        awaitState(perm, Job.DEAD);
        awaitAttempts(flaky, 1, Job.RETRYING);
        clock.advance(Duration.ofMinutes(1));
        pool.runOnce();
        awaitState(flaky, Job.DEAD);

        assertThat(job(flaky).lastError()).isEqualTo("attempt 2 of 2: still down");
        assertThat(job(perm).lastError()).isEqualTo("rule refers to a tool that does not exist");
        assertThat(job(perm).attempts()).isEqualTo(1);
        assertThat(job(perm).finishedAt()).isNotNull();
    }

    @Test
    void aHandlerThatThrowsNeverKillsThePool() throws Exception {
        // The first attempt of pr-1's job throws; the two jobs run at once, so which starts first does not matter.
        WorkerPool pool = pool(2, 0, "a", ctx -> {
            if (ctx.job().concurrencyKey().equals("acme/w#pr-1") && ctx.job().attempts() == 1) {
                throw new IllegalStateException("bug in the handler");
            }
            return JobOutcome.success("ok");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        long other = enqueue("acme/w", "acme/w#pr-2");
        pool.start();

        awaitState(other, Job.SUCCEEDED);
        awaitState(id, Job.RETRYING);
        assertThat(job(id).lastError()).contains("unexpected error: java.lang.IllegalStateException: bug in the handler");
        clock.advance(Duration.ofSeconds(10));
        pool.wake();
        awaitState(id, Job.SUCCEEDED);
    }

    @Test
    void anAttemptThatThrowsIsCountedOnceAsCrashed() throws Exception {
        // A history write that hit SQLITE_FULL surfaces as a StoreException out of the handler.
        WorkerPool pool = pool(1, 0, "a", ctx -> {
            throw new dev.bbagent.store.StoreException("write to history failed: [SQLITE_FULL] database or disk is full");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        pool.runOnce();
        awaitState(id, Job.RETRYING);

        assertThat(attempts("crashed")).isEqualTo(1);
        assertThat(attempts("transient")).isZero();
        assertThat(registry.find("bbagent.job.attempts").counters()).hasSize(1);
        assertThat(job(id).lastError()).contains("SQLITE_FULL");
    }

    @Test
    void theFailureLineSaysWhatHappensNext() {
        Instant now = clock.instant();
        Job first = new Job(7, "d", "review", "v1", "acme/w", "acme/w#pr-1", "acme/w#pr-1", Job.RUNNING, 1, 3, now, "o",
                now, null, null, now, now, now, null, null);
        assertThat(WorkerPool.transientLine(first, "the model API failed (503)", now.plusSeconds(10), now))
                .isEqualTo("job 7 (review, acme/w#pr-1) attempt 1 of 3 failed: the model API failed (503); retrying at "
                        + now.plusSeconds(10) + " (in 10 s)")
                .doesNotContain("dead");
        Job only = new Job(7, "d", "review", "v1", "acme/w", "acme/w#pr-1", "acme/w#pr-1", Job.RUNNING, 1, 1, now, "o",
                now, null, null, now, now, now, null, null);
        assertThat(WorkerPool.transientLine(only, "timeout", null, now))
                .isEqualTo("job 7 (review, acme/w#pr-1) attempt 1 of 1 failed: timeout; no attempts left, the job is dead")
                .doesNotContain("retry");
    }

    private double attempts(String result) {
        var c = registry.find("bbagent.job.attempts").tag("result", result).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void aDeferredJobWaitsWithoutUsingAnAttempt() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WorkerPool pool = pool(1, 0, "a", ctx -> calls.incrementAndGet() == 1
                ? new JobOutcome.Deferred(clock.instant().plus(Duration.ofHours(1)), "daily budget reached")
                : JobOutcome.success("ok"));
        long id = enqueue("acme/w", "acme/w#pr-1");

        pool.runOnce();
        awaitAttempts(id, 0, Job.QUEUED);
        assertThat(job(id).result()).isEqualTo("daily budget reached");
        clock.advance(Duration.ofHours(1));
        pool.runOnce();
        awaitState(id, Job.SUCCEEDED);
        assertThat(job(id).attempts()).isEqualTo(1);
    }

    @Test
    void aJobWhoseWorkerDiedIsTakenOverWhenItsLeaseExpires() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        WorkerPool dying = pool(1, 0, "host-a", ctx -> {
            never.await();
            return JobOutcome.success("never");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        dying.runOnce();
        assertThat(job(id).state()).isEqualTo(Job.RUNNING);

        WorkerPool survivor = pool(1, 0, "host-b", ctx -> JobOutcome.success("taken over"));
        clock.advance(Duration.ofSeconds(59));
        survivor.maintain();
        assertThat(job(id).state()).isEqualTo(Job.RUNNING);

        clock.advance(Duration.ofSeconds(2));
        survivor.maintain();
        assertThat(job(id).state()).isEqualTo(Job.QUEUED);
        assertThat(job(id).lastError()).contains("lease expired");
        survivor.runOnce();
        awaitState(id, Job.SUCCEEDED);
        assertThat(job(id).attempts()).isEqualTo(2);
        assertThat(job(id).result()).isEqualTo("taken over");
        never.countDown();
    }

    @Test
    void aLeaseThatExpiresOnTheLastAttemptMakesTheJobDead() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        WorkerPool dying = pool(1, 0, "host-a", ctx -> {
            never.await();
            return JobOutcome.success("never");
        });
        long id = enqueue("review", "acme/w", "acme/w#pr-1", false, Duration.ZERO, 1);
        dying.runOnce();

        clock.advance(Duration.ofMinutes(2));
        pool(1, 0, "host-b", ctx -> JobOutcome.success("x")).maintain();

        assertThat(job(id).state()).isEqualTo(Job.DEAD);
        never.countDown();
    }

    @Test
    void aStalledProcessDoesNotClaimAgainAJobWhoseEarlierAttemptStillRunsThere() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool stalled = pool(2, 0, "host-a", ctx -> {
            if (ctx.job().attempts() == 1) {
                release.await();
            }
            return JobOutcome.success("attempt " + ctx.job().attempts());
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        stalled.runOnce();
        clock.advance(Duration.ofSeconds(61));
        WorkerPool other = pool(1, 0, "host-b", ctx -> JobOutcome.success("taken over"));
        other.maintain();
        assertThat(job(id).state()).isEqualTo(Job.QUEUED);

        assertThat(stalled.runOnce()).isZero(); // its attempt 1 still runs here
        assertThat(other.runOnce()).isEqualTo(1);
        awaitState(id, Job.SUCCEEDED);
        assertThat(job(id).result()).isEqualTo("taken over");
        release.countDown();
        settle(id);
        assertThat(stalled.runningCount()).isZero();
    }

    @Test
    void aRestartedProcessTakesBackItsPredecessorsJobsAtOnce() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        WorkerPool before = pool(1, 0, "host-a", ctx -> {
            never.await();
            return JobOutcome.success("never");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        before.runOnce();

        WorkerPool after = pool(1, 0, "host-a", ctx -> JobOutcome.success("after restart"));
        after.start();

        awaitState(id, Job.SUCCEEDED);
        assertThat(job(id).result()).isEqualTo("after restart");
        assertThat(job(id).attempts()).isEqualTo(2); // the killed attempt counts, as with an expired lease
        never.countDown();
    }

    /**
     * A handler that records each attempt as a run in a real history file, like the agent runtime, and
     * closes abandoned ones the way it does. Attempts of "hang" jobs never finish: their process is "killed".
     */
    private final class RecordingHandler implements JobHandler {
        final HistoryStore history = new HistoryStore(dir, new Redactor(List.of()), clock, registry, 100,
                Duration.ofMinutes(5));
        final CountDownLatch never = new CountDownLatch(1);

        @Override
        public JobOutcome handle(JobContext ctx) throws Exception {
            Job j = ctx.job();
            long run;
            try (HistoryStore.Handle h = history.open(j.repo())) {
                run = h.history().startRun(new HistoryRecords.NewRun(j.id(), j.deliveryId(), j.rule(), j.ruleVersion(),
                        j.thread(), j.attempts(), "m", "chat", "p"));
            }
            if (j.thread().endsWith("hang")) {
                never.await();
            }
            try (HistoryStore.Handle h = history.open(j.repo())) {
                h.history().finishRun(run, new HistoryRecords.RunEnd("completed", 0, 0, 0, 0, 1, 0, 0, "ok", null, null));
            }
            return JobOutcome.success("ok");
        }

        @Override
        public void abandoned(Job job, Instant stoppedAbout) {
            try (HistoryStore.Handle h = history.open(job.repo())) {
                h.history().abandonRuns(job.id(), job.attempts(), stoppedAbout, "stopped at about " + stoppedAbout);
            }
        }

        List<HistoryRecords.RunSummary> runs() {
            try (HistoryStore.Handle h = history.open("acme/w")) {
                return h.history().runs(null, null, 10).reversed();
            }
        }
    }

    @Test
    void aRestartAfterAKillClosesTheKilledAttemptsRunAndCountsTheAttempt() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        assertThat(registry.find("bbagent.jobs.recovered").counter()).isNull();
        WorkerPool killed = pool(1, 0, "host-a", handler);
        assertThat(registry.find("bbagent.jobs.recovered").counter().count()).isZero(); // exported from the start
        long id = enqueue("review", "acme/w", "acme/w#hang", false, Duration.ZERO, 3);
        Instant claimedAt = clock.instant();
        killed.runOnce();
        awaitRuns(handler, 1);

        clock.advance(Duration.ofSeconds(5));
        WorkerPool restarted = pool(1, 0, "host-a", handler);
        restarted.start();
        awaitState(id, Job.RUNNING); // taken back at once and claimed again (attempt 2 hangs too)
        awaitRuns(handler, 2);

        List<HistoryRecords.RunSummary> runs = handler.runs();
        assertThat(runs.get(0).attempt()).isEqualTo(1);
        assertThat(runs.get(0).status()).isEqualTo("abandoned");
        assertThat(runs.get(0).error()).isEqualTo("stopped at about " + claimedAt);
        assertThat(runs.get(0).finishedAt()).isEqualTo(claimedAt);
        assertThat(runs.get(1).attempt()).isEqualTo(2);
        assertThat(runs.get(1).status()).isEqualTo("running");
        assertThat(job(id).attempts()).isEqualTo(2);
        assertThat(registry.find("bbagent.jobs.recovered").counter().count()).isEqualTo(1);
        handler.never.countDown();
        handler.history.close();
    }

    @Test
    void aJobThatKeepsKillingItsProcessGoesDeadInsteadOfLoopingForever() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        long id = enqueue("review", "acme/w", "acme/w#hang", false, Duration.ZERO, 2);
        for (int restart = 1; restart <= 2; restart++) {
            WorkerPool p = pool(1, 0, "host-a", handler);
            p.start();
            p.runOnce();
            awaitRuns(handler, restart);
        }
        pool(1, 0, "host-a", handler).start(); // the third start finds the second attempt, the last, abandoned

        assertThat(job(id).state()).isEqualTo(Job.DEAD);
        assertThat(job(id).lastError()).contains("crash or kill").contains("attempt 2 of 2");
        assertThat(handler.runs()).extracting(HistoryRecords.RunSummary::status).containsExactly("abandoned", "abandoned");
        handler.never.countDown();
        handler.history.close();
    }

    @Test
    void anExpiredLeaseClosesTheAbandonedAttemptsRun() throws Exception {
        RecordingHandler handler = new RecordingHandler();
        long id = enqueue("review", "acme/w", "acme/w#hang", false, Duration.ZERO, 3);
        pool(1, 0, "host-a", handler).runOnce();
        awaitRuns(handler, 1);

        clock.advance(Duration.ofSeconds(61));
        pool(1, 0, "host-b", handler).maintain();

        assertThat(job(id).state()).isEqualTo(Job.QUEUED);
        assertThat(job(id).lastError()).contains("lease expired").contains("attempt 1 of 3");
        assertThat(handler.runs().getFirst().status()).isEqualTo("abandoned");
        assertThat(registry.find("bbagent.jobs.recovered").counter().count()).isEqualTo(1);
        handler.never.countDown();
        handler.history.close();
    }

    private void awaitRuns(RecordingHandler handler, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (handler.runs().size() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("runs: " + handler.runs());
            }
            Thread.sleep(2);
        }
    }

    @Test
    void leasesOfRunningJobsAreRenewed() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WorkerPool pool = pool(1, 0, "a", ctx -> {
            release.await();
            return JobOutcome.success("ok");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        pool.runOnce();

        clock.advance(Duration.ofSeconds(50));
        pool.maintain();
        clock.advance(Duration.ofSeconds(50));
        pool.maintain();

        assertThat(job(id).state()).isEqualTo(Job.RUNNING);
        assertThat(job(id).leaseExpires()).isEqualTo(clock.instant().plusSeconds(60));
        release.countDown();
        awaitState(id, Job.SUCCEEDED);
    }

    @Test
    void gracefulShutdownLetsQuickJobsFinishAndReleasesTheRest() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        WorkerPool pool = pool(2, 0, "a", ctx -> {
            if (ctx.job().thread().endsWith("quick")) {
                Thread.sleep(20);
                return JobOutcome.success("quick");
            }
            slowStarted.countDown();
            new CountDownLatch(1).await(); // runs until interrupted
            return JobOutcome.success("slow");
        });
        long quick = enqueue("acme/w", "acme/w#quick");
        long slow = enqueue("acme/w", "acme/w#slow");
        pool.runOnce();
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();

        pool.shutdown(Duration.ofMillis(500));

        assertThat(job(quick).state()).isEqualTo(Job.SUCCEEDED);
        assertThat(job(slow).state()).isEqualTo(Job.QUEUED);
        assertThat(job(slow).attempts()).isZero();
        assertThat(job(slow).result()).contains("shut down");
        assertThat(pool.runOnce()).isZero();
    }

    @Test
    void aHandlerThatFailsOnTheShutdownInterruptIsNotACrash() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        List<String> reasons = Collections.synchronizedList(new ArrayList<>());
        WorkerPool pool = pool(1, 0, "a", ctx -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                reasons.add(ctx.whyStopped());
                // What a history write does when its thread is interrupted.
                throw new dev.bbagent.store.StoreException("interrupted while writing to history", e);
            }
            return JobOutcome.success("never");
        });
        long id = enqueue("acme/w", "acme/w#pr-1");
        pool.runOnce();
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

        pool.shutdown(Duration.ofMillis(100));

        assertThat(pool.runningCount()).isZero(); // shutdown waited for it to record its end
        assertThat(job(id).state()).isEqualTo(Job.QUEUED);
        assertThat(job(id).attempts()).isZero();
        assertThat(reasons).containsExactly(WorkerPool.RELEASED);
        assertThat(attempts("crashed")).isZero();
        assertThat(attempts("transient")).isZero();
        assertThat(attempts("interrupted")).isEqualTo(1);
    }

    @Test
    void cancelAndRetryMoveJobsBetweenStates() throws Exception {
        WorkerPool pool = pool(1, 0, "a", ctx -> JobOutcome.permanentFailure("nope"));
        long dead = enqueue("acme/w", "acme/w#pr-1");
        long queued = enqueue("acme/w", "acme/w#pr-2");
        pool.runOnce();
        awaitState(dead, Job.DEAD);

        assertThat(jobs.cancel(queued, clock.instant())).isTrue();
        assertThat(jobs.cancel(queued, clock.instant())).isFalse();
        assertThat(jobs.retry(dead, clock.instant())).isTrue();
        assertThat(job(dead).state()).isEqualTo(Job.QUEUED);
        assertThat(job(dead).attempts()).isZero();
        assertThat(jobs.retry(queued, clock.instant())).isTrue();
        assertThat(jobs.countsByState()).containsEntry(Job.QUEUED, 2);
    }

    private void awaitState(long id, String state) throws InterruptedException {
        awaitAttempts(id, -1, state);
    }

    private void awaitAttempts(long id, int attempts, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Job j = job(id);
            if (j.state().equals(state) && (attempts < 0 || j.attempts() == attempts)) {
                if (!state.equals(Job.RUNNING)) {
                    settle(id);
                }
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " is " + j.state() + " after " + j.attempts()
                        + " attempts, expected " + state + (attempts < 0 ? "" : " after " + attempts));
            }
            Thread.sleep(2);
        }
    }

    /** The store says the job moved on; wait until its worker has also let go of it. */
    private void settle(long id) throws InterruptedException {
        for (WorkerPool p : pools) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (p.isRunning(id) && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
        }
    }

    private void awaitCount(String state, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (jobs.countsByState().get(state) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(jobs.countsByState().toString());
            }
            Thread.sleep(5);
        }
        assertThat(new HashSet<>(List.of(state))).isNotEmpty();
    }
}
