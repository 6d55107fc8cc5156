package dev.bbagent.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How many bytes of webhook bodies bbagent holds at once, across all requests. A body is read before its
 * signature can be checked, so without a limit anyone who can reach the port could fill the heap with
 * bodies sent slowly. A request takes its share as its bytes arrive and gives it back when it is answered;
 * one that cannot get it within a short wait is answered 503 ({@code busy}), which Bitbucket retries.
 */
public final class BodyBudget {

    /**
     * Bitbucket waits 10 s for an answer: a body still arriving after that is from a sender no longer
     * waiting, or one holding memory on purpose.
     */
    static final Duration READ_LIMIT = Duration.ofSeconds(10);

    private final int limit;
    private final Semaphore bytes;
    private final long waitNanos;
    private final Duration readLimit;

    /**
     * @param limitBytes the most bytes of bodies held at once
     * @param wait how long a request waits for bytes others give back before it is answered 503
     * @param readLimit the time a whole body may take to arrive
     */
    public BodyBudget(int limitBytes, Duration wait, Duration readLimit) {
        if (limitBytes < RequestBody.MAX_BYTES + 1) {
            throw new IllegalArgumentException("a body budget must hold at least one body of the largest size");
        }
        this.limit = limitBytes;
        this.bytes = new Semaphore(limitBytes);
        this.waitNanos = wait.toNanos();
        this.readLimit = readLimit;
    }

    /**
     * An eighth of the heap, between 4 and 64 MiB (64 MiB with bin/bbagent's 512 MiB heap), waiting up to 2 s;
     * bodies must arrive within {@link #READ_LIMIT}. Publishes its use as gauges.
     */
    public static BodyBudget forHeap(MeterRegistry registry) {
        long eighth = Runtime.getRuntime().maxMemory() / 8;
        int limit = (int) Math.clamp(eighth, 4L << 20, 64L << 20);
        BodyBudget budget = new BodyBudget(limit, Duration.ofSeconds(2), READ_LIMIT);
        Gauge.builder("bbagent.webhook.body.bytes", budget, BodyBudget::held)
                .description("Bytes of webhook request bodies held now (read or being read); at most "
                        + "bbagent_webhook_body_limit_bytes")
                .baseUnit("bytes")
                .register(registry);
        Gauge.builder("bbagent.webhook.body.limit", budget, b -> b.limit)
                .description("The most bytes of webhook request bodies held at once; beyond it a delivery waits "
                        + "up to 2 s, then is answered 503 (outcome busy)")
                .baseUnit("bytes")
                .register(registry);
        return budget;
    }

    int limit() {
        return limit;
    }

    /** The time a whole body may take to arrive. */
    Duration readLimit() {
        return readLimit;
    }

    /** Bytes held now. */
    int held() {
        return limit - bytes.availablePermits();
    }

    /** Take {@code n} bytes, waiting a little for other requests to give theirs back; false if they did not. */
    boolean take(int n) {
        if (n == 0 || bytes.tryAcquire(n)) {
            return true;
        }
        try {
            return bytes.tryAcquire(n, waitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void give(int n) {
        if (n > 0) {
            bytes.release(n);
        }
    }
}
