package dev.bbagent.queue;

import java.time.Duration;
import java.time.Instant;

/** How one attempt of a job went. */
public sealed interface JobOutcome {

    /** Done. {@code summary} is a one-line description kept with the job (e.g. "completed, 3 tool calls"). */
    record Success(String summary) implements JobOutcome {}

    /** Failed for a reason that may pass (rate limit, outage): retried with backoff, at least after {@code retryAfter}. */
    record Transient(String error, Duration retryAfter) implements JobOutcome {}

    /** Failed for a reason a retry will not fix: the job is dead at once. */
    record Permanent(String error) implements JobOutcome {}

    /** Not run now: back to the queue until {@code until}, without counting the attempt (e.g. a daily budget). */
    record Deferred(Instant until, String reason) implements JobOutcome {}

    static JobOutcome success(String summary) {
        return new Success(summary);
    }

    static JobOutcome transientFailure(String error) {
        return new Transient(error, null);
    }

    static JobOutcome transientFailure(String error, Duration retryAfter) {
        return new Transient(error, retryAfter);
    }

    static JobOutcome permanentFailure(String error) {
        return new Permanent(error);
    }
}
