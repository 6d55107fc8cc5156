package dev.bbagent.fake.openai;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Deterministic ids, one counter per prefix: {@code call_1}, {@code call_2}, {@code resp_1}, ... */
final class Ids {

    private final ConcurrentHashMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

    String next(String prefix) {
        return prefix + counters.computeIfAbsent(prefix, p -> new AtomicLong()).incrementAndGet();
    }
}
