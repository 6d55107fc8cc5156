package dev.bbagent.queue;

import dev.bbagent.store.Job;
import dev.bbagent.store.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs queued jobs on virtual threads: claims due jobs (at most one running per concurrency key, FIFO per
 * key, interleaved across repositories), holds a renewed lease on each, retries transient failures with
 * backoff, and gives up after the last attempt. Nothing here assumes it is the only process: every claim
 * and completion is a conditional update in the store.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final JobStore store;
    private final JobHandler handler;
    private final QueueSettings settings;
    private final Clock clock;
    private final QueueMetrics metrics;
    private final String owner;
    private final ExecutorService workers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("bbagent-job-", 0).factory());
    private final Map<Long, Running> running = new ConcurrentHashMap<>();
    private final Semaphore wake = new Semaphore(0);
    private final AtomicBoolean claiming = new AtomicBoolean(false);
    /** What a run stopped by shutdown records; the job itself went back to the queue. */
    public static final String RELEASED = "bbagent shut down during the run; the job went back to the queue";
    /** What a run stopped by an administrator's cancel records. */
    public static final String CANCELLED = "cancelled by an administrator during the run";
    private static final Duration RECORD_GRACE = Duration.ofSeconds(2);
    private static final long BUFFER_NANOS = Duration.ofMillis(100).toNanos();
    private List<JobStore.Candidate> buffer = new ArrayList<>();
    private long bufferedAt;
    private volatile Thread loop;
    private volatile Thread maintenance;
    private volatile boolean stopped;

    /** A job running here. The future is set right after submission; the entry exists before the job starts. */
    private record Running(Job job, java.util.concurrent.atomic.AtomicReference<Future<?>> future, AtomicBoolean stop,
            java.util.concurrent.atomic.AtomicReference<String> why) {

        /** Ask the handler to stop, saying why (its run's record shows it), then interrupt it. */
        void stop(String reason) {
            why.compareAndSet(null, reason);
            stop.set(true);
        }

        void cancel() {
            Future<?> f = future.get();
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    public WorkerPool(JobStore store, JobHandler handler, QueueSettings settings, Clock clock, MeterRegistry registry) {
        this.store = store;
        this.handler = handler;
        this.settings = settings;
        this.clock = clock;
        this.metrics = new QueueMetrics(registry, store::gaugeCounts);
        this.owner = settings.instance() + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This process's lease owner name. */
    public String owner() {
        return owner;
    }

    /** Take back jobs a previous process of this instance left running, then start claiming. */
    public void start() {
        List<Job> back = store.recoverOwnedBy(settings.instance() + ":", owner, clock.instant());
        if (!back.isEmpty()) {
            metrics.recovered(back.size());
            LOG.warn("took back {} jobs left running by the previous process of instance {} (it stopped without"
                    + " finishing them: crash or kill); their attempts count", back.size(), settings.instance());
            abandoned(back);
        }
        loop = Thread.ofPlatform().name("bbagent-claim").daemon(true).start(this::claimLoop);
        maintenance = Thread.ofPlatform().name("bbagent-leases").daemon(true).start(this::maintenanceLoop);
    }

    /** Look for work now (a delivery queued jobs, a job finished). */
    public void wake() {
        wake.release();
    }

    private void claimLoop() {
        while (!stopped) {
            try {
                boolean woken = wake.tryAcquire(settings.poll().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (!stopped) {
                    claimCycle(!woken);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("claiming jobs failed: {}; trying again in {} ms", e.getMessage(), settings.poll().toMillis(), e);
                sleepQuietly(settings.poll());
            }
        }
    }

    private void maintenanceLoop() {
        Duration every = settings.lease().dividedBy(3);
        while (!stopped) {
            try {
                Thread.sleep(every.toMillis());
                maintain();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.error("lease upkeep failed: {}; trying again in {} ms", e.getMessage(), every.toMillis(), e);
            }
        }
    }

    /** Renew this process's leases and recover jobs whose worker died. */
    public void maintain() {
        Instant now = clock.instant();
        if (!running.isEmpty()) {
            store.renewLeases(owner, now.plus(settings.lease()));
        }
        List<Job> recovered = store.recoverExpired(now);
        if (!recovered.isEmpty()) {
            metrics.recovered(recovered.size());
            LOG.warn("recovered {} jobs whose worker stopped without finishing (lease expired)", recovered.size());
            abandoned(recovered);
            wake();
        }
    }

    /** Let the handler close what the abandoned attempts left open (their run records). */
    private void abandoned(List<Job> jobs) {
        for (Job j : jobs) {
            // The lease was last renewed `lease` before it expires: the process stopped at about that time.
            Instant stoppedAbout = j.leaseExpires() == null ? clock.instant() : j.leaseExpires().minus(settings.lease());
            try {
                handler.abandoned(j, stoppedAbout);
            } catch (RuntimeException e) {
                LOG.warn("job {} ({}): closing the record of its abandoned attempt {} failed: {}", j.id(), j.rule(),
                        j.attempts(), e.getMessage());
            }
        }
    }

    /**
     * One claim cycle: pick due jobs fairly, claim them, start them. Returns how many started.
     * The background loop calls this; tests call it directly with an injected clock.
     */
    public int runOnce() {
        return claimCycle(true);
    }

    private int claimCycle(boolean force) {
        if (stopped || !claiming.compareAndSet(false, true)) {
            return 0;
        }
        try {
            int free = settings.workers() - running.size();
            // Claim in groups when busy: one look at the queue serves several free workers.
            int batch = Math.max(1, settings.workers() / 4);
            if (free <= 0 || (free < batch && !running.isEmpty() && !force)) {
                return 0;
            }
            Instant now = clock.instant();
            List<JobStore.Candidate> candidates = candidates(now, free);
            if (candidates.isEmpty()) {
                return 0;
            }
            List<Long> chosen = choose(candidates, runningByRepo(), free);
            // Chosen ones leave the buffer whether or not the claim succeeds: a claim is conditional, and a
            // job someone else took (or that stopped being due) is simply not claimed.
            buffer.removeIf(c -> chosen.contains(c.id()));
            // A job whose earlier attempt still runs here (its lease was taken back while this process stalled)
            // is left to others: one process never runs two attempts of a job at once.
            chosen.removeIf(running::containsKey);
            List<Job> claimed = store.claim(chosen, owner, now, settings.lease());
            for (Job job : claimed) {
                start(job, now);
            }
            return claimed.size();
        } finally {
            claiming.set(false);
        }
    }

    /**
     * Due jobs to choose from. When the queue is deep, one query serves several claim cycles: the rest of
     * its answer is kept briefly, and a stale entry costs only a claim that does not take.
     */
    private List<JobStore.Candidate> candidates(Instant now, int free) {
        if (buffer.size() < free || System.nanoTime() - bufferedAt > BUFFER_NANOS) {
            int perRepo = settings.maxPerRepo() > 0 ? settings.maxPerRepo() : Math.max(free, settings.workers());
            buffer = new ArrayList<>(store.candidates(now, settings.workers() * 4, perRepo));
            bufferedAt = System.nanoTime();
        }
        return buffer;
    }

    /**
     * Running jobs per repository: across every process when a per-repository limit must hold, else this
     * process's own (enough to spread its workers across repositories).
     */
    private Map<String, Integer> runningByRepo() {
        if (settings.maxPerRepo() > 0) {
            return store.runningByRepo();
        }
        Map<String, Integer> mine = new HashMap<>();
        for (Running r : running.values()) {
            mine.merge(r.job().repo(), 1, Integer::sum);
        }
        return mine;
    }

    /** Fewest running jobs first, so a busy repository cannot take every worker; FIFO within a repository. */
    private List<Long> choose(List<JobStore.Candidate> candidates, Map<String, Integer> runningNow, int free) {
        Map<String, Integer> load = new HashMap<>(runningNow);
        List<JobStore.Candidate> left = new ArrayList<>(candidates);
        List<Long> chosen = new ArrayList<>();
        while (chosen.size() < free && !left.isEmpty()) {
            JobStore.Candidate best = null;
            for (JobStore.Candidate c : left) {
                int l = load.getOrDefault(c.repo(), 0);
                if (settings.maxPerRepo() > 0 && l >= settings.maxPerRepo()) {
                    continue;
                }
                if (best == null || l < load.getOrDefault(best.repo(), 0)) {
                    best = c;
                }
            }
            if (best == null) {
                break;
            }
            left.remove(best);
            chosen.add(best.id());
            load.merge(best.repo(), 1, Integer::sum);
        }
        return chosen;
    }

    private void start(Job job, Instant claimedAt) {
        metrics.waited(job.rule(), Duration.between(job.notBefore(), claimedAt));
        Running r = new Running(job, new java.util.concurrent.atomic.AtomicReference<>(), new AtomicBoolean(false),
                new java.util.concurrent.atomic.AtomicReference<>());
        // Registered before it starts: a job that finishes at once removes an entry that is already there.
        running.put(job.id(), r);
        r.future().set(workers.submit(() -> runJob(job, r)));
    }

    private void runJob(Job job, Running self) {
        AtomicBoolean stop = self.stop();
        long begin = System.nanoTime();
        JobOutcome outcome;
        // Exactly one bbagent_job_attempts_total result per attempt: "crashed" replaces the outcome's own.
        String result = null;
        try {
            outcome = handler.handle(new JobContext(job, stop::get, self.why()::get));
            if (outcome == null) {
                outcome = JobOutcome.transientFailure("the job handler returned no outcome");
            }
        } catch (InterruptedException e) {
            outcome = JobOutcome.transientFailure("interrupted");
        } catch (Throwable t) {
            if (stop.get()) {
                // Shutdown or a cancel stopped it; what the handler threw on the way out is not a crash.
                LOG.debug("job {} ({}): the handler stopped with {}", job.id(), job.rule(), t.toString());
                outcome = JobOutcome.transientFailure("stopped: " + t);
            } else {
                result = "crashed";
                LOG.error("job {} ({}): the handler failed unexpectedly", job.id(), job.rule(), t);
                outcome = JobOutcome.transientFailure("unexpected error: " + t);
            }
        }
        try {
            if (!stop.get()) {
                finish(job, outcome, result);
            } else {
                // Released by shutdown or cancelled: the pool already put the job where it belongs.
                metrics.attempt(job.rule(), "interrupted");
            }
        } catch (RuntimeException e) {
            LOG.error("job {}: recording its outcome failed ({}); its lease will expire and it runs again",
                    job.id(), e.getMessage());
        } finally {
            metrics.duration(job.rule(), Duration.ofNanos(System.nanoTime() - begin));
            running.remove(job.id(), self);
            wake();
        }
    }

    /** @param result the attempt's result label when not the outcome's own (a crash) */
    private void finish(Job job, JobOutcome outcome, String result) {
        Instant now = clock.instant();
        switch (outcome) {
            case JobOutcome.Success s -> {
                metrics.attempt(job.rule(), result != null ? result : "success");
                record(job, store.succeed(job.id(), owner, now, s.summary()), "succeeded");
            }
            case JobOutcome.Transient t -> {
                metrics.attempt(job.rule(), result != null ? result : "transient");
                boolean last = job.attempts() >= job.maxAttempts();
                Instant retryAt = now.plus(settings.backoff().after(job.attempts(), t.retryAfter()));
                String error = "attempt " + job.attempts() + " of " + job.maxAttempts() + ": " + t.error();
                boolean applied = store.fail(job.id(), owner, now, error, retryAt, false);
                record(job, applied, last ? "dead" : "retrying");
                if (applied) {
                    LOG.warn(transientLine(job, t.error(), last ? null : retryAt, now));
                }
            }
            case JobOutcome.Permanent p -> {
                metrics.attempt(job.rule(), result != null ? result : "permanent");
                boolean applied = store.fail(job.id(), owner, now, p.error(), now, true);
                record(job, applied, "dead");
                if (applied) {
                    LOG.warn("job {} ({}, {}) is dead: attempt {} of {} failed permanently: {}", job.id(), job.rule(),
                            job.thread(), job.attempts(), job.maxAttempts(), p.error());
                }
            }
            case JobOutcome.Deferred d -> {
                metrics.attempt(job.rule(), result != null ? result : "deferred");
                record(job, store.defer(job.id(), owner, now, d.until(), d.reason()), "deferred");
            }
        }
    }

    /**
     * What a transient failure did to its job, in one line: retried at a time, or dead after its last
     * attempt. Only this class knows both (the handler does not know the backoff).
     *
     * @param retryAt null when that was the last attempt
     */
    static String transientLine(Job job, String error, Instant retryAt, Instant now) {
        String head = "job " + job.id() + " (" + job.rule() + ", " + job.thread() + ") attempt " + job.attempts() + " of "
                + job.maxAttempts() + " failed: " + error + "; ";
        if (retryAt == null) {
            return head + "no attempts left, the job is dead";
        }
        return head + "retrying at " + retryAt + " (in " + Math.max(0, Duration.between(now, retryAt).toSeconds())
                + " s)";
    }

    private void record(Job job, boolean applied, String outcome) {
        metrics.job(job.rule(), applied ? outcome : "lost");
        if (!applied) {
            LOG.warn("job {} ({}): its outcome was not recorded because this worker no longer holds it "
                    + "(cancelled, or its lease expired and it was taken over)", job.id(), job.rule());
        }
    }

    /** Whether a job runs in this process now. */
    public boolean isRunning(long jobId) {
        return running.containsKey(jobId);
    }

    /** Jobs running in this process now. */
    public int runningCount() {
        return running.size();
    }

    /** Stop a job running here (an administrator cancelled it). */
    public boolean interrupt(long jobId) {
        Running r = running.get(jobId);
        if (r == null) {
            return false;
        }
        r.stop(CANCELLED);
        r.cancel();
        return true;
    }

    /** Wait until nothing runs here, up to {@code timeout}. For tests and shutdown. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!running.isEmpty()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Graceful stop: claim nothing more, let running jobs finish within {@code grace}, then stop the rest
     * and put them back in the queue without counting the attempt.
     */
    public void shutdown(Duration grace) {
        stopped = true;
        if (loop != null) {
            loop.interrupt();
        }
        if (maintenance != null) {
            maintenance.interrupt();
        }
        // An interrupt of the caller ends the grace early; it must not skip releasing the jobs properly.
        boolean interrupted = Thread.interrupted();
        try {
            if (!running.isEmpty()) {
                LOG.info("waiting up to {} s for {} running jobs", grace.toSeconds(), running.size());
            }
            boolean idle;
            try {
                idle = interrupted ? running.isEmpty() : awaitIdle(grace);
            } catch (InterruptedException e) {
                interrupted = true;
                idle = running.isEmpty();
            }
            if (!idle) {
                Instant now = clock.instant();
                List<Running> released = List.copyOf(running.values());
                for (Running r : released) {
                    r.stop(RELEASED);
                    // Release first, then interrupt: the job goes back to the queue whatever the handler does next.
                    store.defer(r.job().id(), owner, now, now, "bbagent shut down during the attempt; it runs again");
                    r.cancel();
                    LOG.info("job {} ({}) released to the queue: shutdown grace of {} s is over", r.job().id(),
                            r.job().rule(), grace.toSeconds());
                }
                // A moment for the interrupted handlers to record how their runs ended before the stores close.
                try {
                    if (!released.isEmpty() && !awaitIdle(RECORD_GRACE)) {
                        LOG.warn("{} released jobs did not stop within {} ms; their runs may stay open until the jobs"
                                + " run again", running.size(), RECORD_GRACE.toMillis());
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            workers.shutdownNow();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        if (!stopped) {
            shutdown(Duration.ZERO);
        }
    }

    private static void sleepQuietly(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
