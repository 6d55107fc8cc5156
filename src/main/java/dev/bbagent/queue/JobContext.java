package dev.bbagent.queue;

import dev.bbagent.store.Job;

/**
 * What a handler gets: the job (rule, rules version, delivery, thread, attempt number) and a way to see
 * whether it should stop (shutdown grace over, job cancelled). Handlers also see thread interruption.
 */
public record JobContext(Job job, java.util.function.BooleanSupplier stopRequested,
        java.util.function.Supplier<String> stopReason) {

    /** Why the pool stopped the attempt, when it did not say. */
    public static final String STOPPED = "bbagent stopped the run";

    public JobContext(Job job, java.util.function.BooleanSupplier stopRequested) {
        this(job, stopRequested, () -> STOPPED);
    }

    /** 1 for the first attempt. */
    public int attempt() {
        return job.attempts();
    }

    public boolean isLastAttempt() {
        return job.attempts() >= job.maxAttempts();
    }

    public boolean shouldStop() {
        return stopRequested.getAsBoolean() || Thread.currentThread().isInterrupted();
    }

    /**
     * Why the attempt was stopped (shutdown: it went back to the queue; cancelled by an administrator), for
     * the run's record. Meaningful once {@link #shouldStop()} is true.
     */
    public String whyStopped() {
        String r = stopReason.get();
        return r == null ? STOPPED : r;
    }
}
