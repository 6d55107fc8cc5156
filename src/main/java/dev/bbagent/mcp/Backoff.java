package dev.bbagent.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * When the next connection attempt may start. An attempt starts at least {@code min} after the
 * previous one ended (so a server that crashes at each call is restarted at most once per
 * {@code min}); each failed attempt doubles the wait up to {@code max}; a successful one resets it.
 * Not thread-safe: {@link McpToolSource} uses it under its connect lock.
 */
final class Backoff {

    private final Clock clock;
    private final Duration min;
    private final Duration max;
    private Instant lastEnded;
    private int failures;

    Backoff(Clock clock, Duration min, Duration max) {
        this.clock = clock;
        this.min = min;
        this.max = max.compareTo(min) < 0 ? min : max;
    }

    /** How long until an attempt may start; zero or negative when it may start now. */
    Duration remaining() {
        return lastEnded == null ? Duration.ZERO : Duration.between(clock.instant(), lastEnded.plus(delay()));
    }

    /** Records an attempt that ended now with a connection. */
    void succeeded() {
        failures = 0;
        lastEnded = clock.instant();
    }

    /** Records an attempt that ended now without one. */
    void failed() {
        failures++;
        lastEnded = clock.instant();
    }

    /** {@code min} after a success or the first failure, then doubling per failure up to {@code max}. */
    private Duration delay() {
        Duration d = min;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }
}
