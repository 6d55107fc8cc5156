package dev.bbagent.queue;

import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;

/**
 * The wait before a transient failure is retried: exponential with jitter (resilience4j
 * {@link IntervalFunction}), never shorter than the retry-after the failure asked for.
 */
public final class Backoff {

    private final IntervalFunction interval;
    private final Duration max;

    /**
     * @param randomization 0 for a fixed schedule; 0.5 spreads each wait over ±50%
     */
    public Backoff(Duration initial, double multiplier, double randomization, Duration max) {
        this.max = max;
        this.interval = randomization == 0
                ? IntervalFunction.ofExponentialBackoff(initial, multiplier, max)
                : IntervalFunction.ofExponentialRandomBackoff(initial, multiplier, randomization, max);
    }

    /** The default: 10 s, doubling, ±50%, at most 15 min. */
    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(10), 2.0, 0.5, Duration.ofMinutes(15));
    }

    /** The wait after failed attempt number {@code attempt} (1-based). */
    public Duration after(int attempt, Duration retryAfter) {
        Duration wait = Duration.ofMillis(interval.apply(Math.max(1, attempt)));
        if (wait.compareTo(max) > 0) {
            wait = max;
        }
        return retryAfter != null && retryAfter.compareTo(wait) > 0 ? retryAfter : wait;
    }
}
