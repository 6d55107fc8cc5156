package dev.bbagent.mcp;

import java.time.Duration;
import java.util.Optional;

/**
 * A tool failed for a reason that passes with time (HTTP 429, a 5xx from the API behind it). The run
 * ends as a transient failure and the job is retried, after {@link #retryAfter} when known.
 */
public final class ToolTransientException extends RuntimeException {

    private final Duration retryAfter;

    public ToolTransientException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
