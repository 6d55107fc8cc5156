package dev.bbagent.tools;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to the API behind a built-in toolset failed. The message is written for whoever reads it (the model, or an
 * operator in the log): what was called, what the API said, and what to do. Transient failures (429, 5xx, no
 * connection, the client's own rate limit) carry when to try again.
 */
public abstract class ApiException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;
    private final Duration retryAfter;

    protected ApiException(int status, String message, boolean transientFailure, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status the API answered, or 0 when no answer came (network failure, local rate limit). */
    public int status() {
        return status;
    }

    /** Whether trying again later may succeed (429, 5xx, network failure, the client's own rate limit). */
    public boolean isTransient() {
        return transientFailure;
    }

    /** For transient failures: how long to wait before trying again. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
