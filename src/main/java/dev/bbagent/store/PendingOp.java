package dev.bbagent.store;

import java.util.concurrent.CompletableFuture;

/**
 * One operation on its way through a {@link SqliteWriter}: queued, run in a batch (its result or error kept
 * here), committed, and, for a file synced by a {@link WalSyncer}, made durable; only then is its caller's
 * future completed.
 */
final class PendingOp<T> {

    final SqlOp<T> op;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final long submitted;
    /** 0: no limit. */
    private final long maxWaitNanos;
    private T result;
    private Throwable error;

    PendingOp(SqlOp<T> op, long submitted, long maxWaitNanos) {
        this.op = op;
        this.submitted = submitted;
        this.maxWaitNanos = maxWaitNanos;
    }

    long maxWaitNanos() {
        return maxWaitNanos;
    }

    /** Whether the caller's wait limit has passed and nobody has answered it yet. */
    boolean expired(long now) {
        return maxWaitNanos > 0 && now - submitted >= maxWaitNanos && !future.isDone();
    }

    void ran(Object value) {
        @SuppressWarnings("unchecked")
        T t = (T) value;
        this.result = t;
        this.error = null;
    }

    void failed(Throwable e) {
        this.result = null;
        this.error = e;
    }

    /** Tell the caller what the operation's run gave (once its transaction is committed and durable). */
    void complete() {
        if (error == null) {
            future.complete(result);
        } else {
            future.completeExceptionally(error instanceof RuntimeException ? error : new StoreException(error.getMessage(), error));
        }
    }

    void fail(Throwable e) {
        future.completeExceptionally(e);
    }
}
