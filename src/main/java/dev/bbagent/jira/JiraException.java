package dev.bbagent.jira;

import java.time.Duration;
import java.util.Optional;

/**
 * A Jira call failed. The message says what was called, what Jira said ({@code errorMessages} and {@code errors})
 * and what to do. Transient failures (429, 5xx, no connection, the client's own rate limit) carry when to try again.
 */
public final class JiraException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;
    private final Duration retryAfter;

    JiraException(int status, String message, boolean transientFailure, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
    }

    /** The HTTP status Jira answered, or 0 when no answer came. */
    public int status() {
        return status;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
