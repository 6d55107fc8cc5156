package dev.bbagent.agent.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A model request failed. Transient failures (429, 5xx, timeouts, an open circuit) may pass with time
 * and carry the wait the server asked for; permanent ones (bad request, wrong key, unknown model) will not.
 */
public final class LlmException extends RuntimeException {

    /** The kind of a request stopped because its thread was interrupted (shutdown, cancel): not a model failure. */
    public static final String INTERRUPTED = "interrupted";

    private final boolean transientFailure;
    private final Duration retryAfter;
    private final String kind;

    public LlmException(String message, boolean transientFailure, Duration retryAfter, String kind, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
        this.retryAfter = retryAfter;
        this.kind = kind;
    }

    public boolean isTransient() {
        return transientFailure;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** A short, bounded word for metrics: rate_limited, server_error, timeout, circuit_open, client_error, auth. */
    public String kind() {
        return kind;
    }

    /** The request stopped because bbagent interrupted it, not because the model API failed. */
    public boolean isInterrupted() {
        return INTERRUPTED.equals(kind);
    }
}
