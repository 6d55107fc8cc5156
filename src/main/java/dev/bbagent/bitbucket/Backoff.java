package dev.bbagent.bitbucket;

import io.github.resilience4j.core.IntervalFunction;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
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
        return retryAfterHeader(headers, clock).orElseGet(() -> Duration.ofMillis(intervals.apply(n)));
    }

    /** Record a failure without an answer (no connection) and say how long to wait. */
    Duration afterFailure() {
        return Duration.ofMillis(intervals.apply(consecutiveFailures.incrementAndGet()));
    }

    /** A request succeeded: the next failure starts from the initial wait again. */
    void succeeded() {
        consecutiveFailures.set(0);
    }

    /** {@code Retry-After: 120} or {@code Retry-After: Wed, 21 Oct 2026 07:28:00 GMT}; empty when absent or unusable. */
    static Optional<Duration> retryAfterHeader(HttpHeaders headers, Clock clock) {
        Optional<String> value = headers.firstValue("Retry-After").map(String::trim).filter(v -> !v.isEmpty());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String v = value.get();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
        try {
            Duration until = Duration.between(clock.instant(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME));
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
