package dev.bbagent.store;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;

/**
 * One operation on its way through a {@link SqliteWriter}: queued, run in a batch (its result or error kept
 * here), committed, and, for a file synced by a {@link WalSyncer}, made durable; only then is its caller's
 * future completed.
 */
final class PendingOp<T> {

    private static final VarHandle ANSWERED;

    static {
        try {
            ANSWERED = MethodHandles.lookup().findVarHandle(PendingOp.class, "answered", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final SqlOp<T> op;
    final CompletableFuture<T> future = new CompletableFuture<>();
    private final long submitted;
    /** 0: no limit. */
    private final long maxWaitNanos;
    private T result;
    private Throwable error;
    /** 1 once someone (commit, failure or the deadline watchdog) has taken the right to answer the caller. */
    @SuppressWarnings("unused") // through ANSWERED
    private volatile int answered;

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
        return maxWaitNanos > 0 && now - submitted >= maxWaitNanos && answered == 0;
    }

    /**
     * Take the right to answer the caller; false when someone else already has. The deadline watchdog takes
     * it before counting a timeout, so an operation answered in between is neither counted nor failed.
     */
    boolean claim() {
        return ANSWERED.compareAndSet(this, 0, 1);
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
        if (!claim()) {
            return;
        }
        if (error == null) {
            future.complete(result);
        } else {
            future.completeExceptionally(error instanceof RuntimeException ? error : new StoreException(error.getMessage(), error));
        }
    }

    void fail(Throwable e) {
        if (claim()) {
            future.completeExceptionally(e);
        }
    }

    /** Fail every caller in {@code ops} not answered yet. */
    static void failAll(Iterable<? extends PendingOp<?>> ops, Throwable error) {
        for (PendingOp<?> p : ops) {
            p.fail(error);
        }
    }

    /** Fail the caller after {@link #claim} succeeded. */
    void failClaimed(Throwable e) {
        future.completeExceptionally(e);
    }
}
