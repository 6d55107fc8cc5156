package dev.bbagent.store;

/**
 * An operation was not committed within the wait its caller gave {@link SqliteWriter#submit(SqlOp, java.time.Duration)}.
 * It may still commit later: a caller that answers a retrying sender must rely on deduplication, not on absence.
 */
public final class StoreTimeoutException extends StoreException {

    public StoreTimeoutException(String message) {
        super(message);
    }
}
