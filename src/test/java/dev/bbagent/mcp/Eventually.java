package dev.bbagent.mcp;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Polls until a value satisfies a condition (for things that arrive asynchronously). */
final class Eventually {

    private Eventually() {}

    static <T> T get(Supplier<T> value, Predicate<T> done) throws InterruptedException {
        return get(value, done, Duration.ofSeconds(10));
    }

    static <T> T get(Supplier<T> value, Predicate<T> done, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        T v = value.get();
        while (!done.test(v) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            v = value.get();
        }
        return v;
    }
}
