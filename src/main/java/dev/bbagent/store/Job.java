package dev.bbagent.store;

import java.time.Instant;

/**
 * A job as stored: one run of one rule for one delivery, with its place in the queue.
 *
 * @param state queued, running, succeeded, retrying, dead, superseded or cancelled
 * @param attempts attempts started so far (a claim counts one)
 * @param notBefore the job is not claimed before this instant (backoff, debounce, budget deferral)
 * @param result a one-line summary of the last outcome (the run's status, or why it was deferred)
 */
public record Job(
        long id,
        String deliveryId,
        String rule,
        String ruleVersion,
        String repo,
        String thread,
        String concurrencyKey,
        String state,
        int attempts,
        int maxAttempts,
        Instant notBefore,
        String leaseOwner,
        Instant leaseExpires,
        String lastError,
        Long supersededBy,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant finishedAt,
        String result) {

    public static final String QUEUED = "queued";
    public static final String RUNNING = "running";
    public static final String SUCCEEDED = "succeeded";
    public static final String RETRYING = "retrying";
    public static final String DEAD = "dead";
    public static final String SUPERSEDED = "superseded";
    public static final String CANCELLED = "cancelled";

    public boolean finished() {
        return state.equals(SUCCEEDED) || state.equals(DEAD) || state.equals(SUPERSEDED) || state.equals(CANCELLED);
    }
}
