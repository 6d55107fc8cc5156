package dev.bbagent.bitbucket;

import dev.bbagent.tools.RetryAfter;
import io.github.resilience4j.core.IntervalFunction;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * When to try again after a transient failure. A {@code Retry-After} header wins (seconds or an HTTP date);
 * Bitbucket does not send one, so otherwise the wait grows exponentially with jitter
 * ({@link IntervalFunction#ofExponentialRandomBackoff}) with each consecutive failure, and starts over after a
 * success.
 */
final class Backoff {

    private static final double MULTIPLIER = 2.0;
    private static final double JITTER = 0.5;

    private final IntervalFunction intervals;
    private final Clock clock;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    Backoff(Duration initial, Duration max, Clock clock) {
        this.intervals = IntervalFunction.ofExponentialRandomBackoff(initial, MULTIPLIER, JITTER, max);
        this.clock = clock;
    }

    /** Record a failure and say how long to wait: the answer's {@code Retry-After} when usable, else the backoff. */
    Duration afterFailure(HttpHeaders headers) {
        int n = consecutiveFailures.incrementAndGet();
        return RetryAfter.parse(headers, clock).orElseGet(() -> Duration.ofMillis(intervals.apply(n)));
    }

    /** Record a failure without an answer (no connection) and say how long to wait. */
    Duration afterFailure() {
        return Duration.ofMillis(intervals.apply(consecutiveFailures.incrementAndGet()));
    }

    /** A request succeeded: the next failure starts from the initial wait again. */
    void succeeded() {
        consecutiveFailures.set(0);
    }
}
