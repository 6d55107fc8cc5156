package dev.bbagent.bitbucket;

import dev.bbagent.tools.ApiException;
import java.time.Duration;

/**
 * A Bitbucket call failed. The message is written for whoever reads it (the model, or an operator in the log):
 * what was called, what Bitbucket said, and what to do about it. Transient failures (429, 5xx, no connection,
 * the client's own rate limit) carry when to try again.
 */
public final class BitbucketException extends ApiException {

    BitbucketException(int status, String message, boolean transientFailure, Duration retryAfter, Throwable cause) {
        super(status, message, transientFailure, retryAfter, cause);
    }
}
