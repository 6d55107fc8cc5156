package dev.bbagent.queue;

import dev.bbagent.store.Job;

/**
 * What a handler gets: the job (rule, rules version, delivery, thread, attempt number) and a way to see
 * whether it should stop (shutdown grace over, job cancelled). Handlers also see thread interruption.
 */
public record JobContext(Job job, java.util.function.BooleanSupplier stopRequested) {

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
}
