package dev.bbagent.fake.bitbucket;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bitbucket's rolling one-hour request budget, one per credential (default 1,000 requests an hour). Over the
 * budget a request is a 429 "Rate limit for this resource has been exceeded". Access-token requests to
 * {@code /2.0/repositories/*} (the "api" resource group) also get {@code X-RateLimit-Limit},
 * {@code X-RateLimit-Resource} and {@code X-RateLimit-NearLimit} (true once less than 20% remains).
 */
final class RateLimiter {

    static final int DEFAULT_LIMIT = 1_000;
    static final String RESOURCE = "api";
    static final String MESSAGE = "Rate limit for this resource has been exceeded";
    private static final Duration WINDOW = Duration.ofHours(1);

    private final Clock clock;
    private final Map<String, Deque<Instant>> windows = new HashMap<>();
    private int limit = DEFAULT_LIMIT;

    RateLimiter(Clock clock) {
        this.clock = clock;
    }

    synchronized void limit(int perHour) {
        if (perHour < 1) {
            throw new IllegalArgumentException("a rate limit is at least 1 request an hour, not " + perHour);
        }
        this.limit = perHour;
    }

    synchronized int limit() {
        return limit;
    }

    synchronized void reset() {
        windows.clear();
    }

    /**
     * Count one request against the credential's budget and answer the headers it gets, or throw the 429 when
     * the budget is spent.
     */
    synchronized Map<String, String> admit(Credentials.Credential credential, String path) {
        Instant now = clock.instant();
        Deque<Instant> window = windows.computeIfAbsent(credential.key(), k -> new ArrayDeque<>());
        while (!window.isEmpty() && !window.peekFirst().isAfter(now.minus(WINDOW))) {
            window.removeFirst();
        }
        if (window.size() >= limit) {
            throw exceeded(limit);
        }
        window.addLast(now);
        if (!credential.accessToken() || !path.startsWith("/2.0/repositories/")) {
            return Map.of();
        }
        return headers(limit, limit - window.size() < limit / 5.0);
    }

    /** The 429 Bitbucket answers when a budget is spent. */
    static ApiError exceeded(int limit) {
        return new ApiError(429, MESSAGE).withHeaders(headers(limit, true));
    }

    private static Map<String, String> headers(int limit, boolean near) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("X-RateLimit-Limit", Integer.toString(limit));
        h.put("X-RateLimit-Resource", RESOURCE);
        h.put("X-RateLimit-NearLimit", Boolean.toString(near));
        return h;
    }
}
