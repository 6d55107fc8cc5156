package dev.bbagent.fake.bitbucket;

import java.util.ArrayDeque;
import java.util.Deque;

/** Failures queued by a test: the next requests answer these statuses instead of being served. */
final class Faults {

    private final Deque<Integer> pending = new ArrayDeque<>();

    synchronized void failNext(int count, int status) {
        if (count < 0 || status < 400 || status > 599) {
            throw new IllegalArgumentException("fail a non-negative number of requests with a 4xx/5xx status, not "
                    + count + " x " + status);
        }
        for (int i = 0; i < count; i++) {
            pending.addLast(status);
        }
    }

    synchronized void clear() {
        pending.clear();
    }

    /** The error for the next queued failure, or null when none is queued. */
    synchronized ApiError take(int rateLimit) {
        Integer status = pending.pollFirst();
        if (status == null) {
            return null;
        }
        return switch (status) {
            case 429 -> RateLimiter.exceeded(rateLimit);
            case 500 -> new ApiError(500, "Internal Server Error");
            case 502 -> new ApiError(502, "Bad Gateway");
            case 503 -> new ApiError(503, "Service Unavailable");
            case 504 -> new ApiError(504, "Gateway Timeout");
            default -> new ApiError(status, "Injected failure " + status);
        };
    }
}
