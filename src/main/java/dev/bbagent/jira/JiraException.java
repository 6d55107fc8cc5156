package dev.bbagent.jira;

import dev.bbagent.tools.ApiException;
import java.time.Duration;

/**
 * A Jira call failed. The message says what was called, what Jira said ({@code errorMessages} and {@code errors})
 * and what to do. Transient failures (429, 5xx, no connection, the client's own rate limit) carry when to try again.
 */
public final class JiraException extends ApiException {

    JiraException(int status, String message, boolean transientFailure, Duration retryAfter, Throwable cause) {
        super(status, message, transientFailure, retryAfter, cause);
    }
}
