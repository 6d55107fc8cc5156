package dev.bbagent.bitbucket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpHeaders;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The client's meters: {@code bbagent_bitbucket_requests_total{status_class}} (2xx, 3xx, 4xx, 429, 5xx, error)
 * and the gauges {@code bbagent_bitbucket_ratelimit_limit} and {@code bbagent_bitbucket_ratelimit_near_limit}
 * (1 or 0), set from the {@code X-RateLimit-Limit} and {@code X-RateLimit-NearLimit} headers Bitbucket sends to
 * access tokens. The gauges read NaN until a header is seen.
 */
final class RequestMetrics {

    static final String REQUESTS = "bbagent.bitbucket.requests";
    static final String LIMIT = "bbagent.bitbucket.ratelimit.limit";
    static final String NEAR_LIMIT = "bbagent.bitbucket.ratelimit.near_limit";
    /** The values of the {@code status_class} label. */
    static final String ERROR = "error";

    private final Map<String, Counter> requests;
    private volatile double limit = Double.NaN;
    private volatile double nearLimit = Double.NaN;

    RequestMetrics(MeterRegistry registry) {
        this.requests = Stream.of("2xx", "3xx", "4xx", "429", "5xx", ERROR).collect(Collectors.toUnmodifiableMap(
                Function.identity(), c -> Counter.builder(REQUESTS)
                        .description("Requests to the Bitbucket Cloud API by status class (error: no answer)")
                        .tag("status_class", c)
                        .register(registry)));
        Gauge.builder(LIMIT, this, m -> m.limit)
                .description("Requests per hour Bitbucket allows this credential (X-RateLimit-Limit)")
                .register(registry);
        Gauge.builder(NEAR_LIMIT, this, m -> m.nearLimit)
                .description("1 when Bitbucket says less than 20% of the hourly budget is left (X-RateLimit-NearLimit)")
                .register(registry);
    }

    /** Count one answer and read its rate-limit headers. */
    void answered(int status, HttpHeaders headers) {
        requests.get(statusClass(status)).increment();
        headers.firstValue("X-RateLimit-Limit").ifPresent(v -> {
            try {
                limit = Double.parseDouble(v.trim());
            } catch (NumberFormatException e) {
                // not a number: keep the last good value
            }
        });
        headers.firstValue("X-RateLimit-NearLimit")
                .ifPresent(v -> nearLimit = v.trim().toLowerCase(Locale.ROOT).equals("true") ? 1 : 0);
    }

    /** Count a request that got no answer. */
    void failed() {
        requests.get(ERROR).increment();
    }

    private static String statusClass(int status) {
        if (status == 429) {
            return "429";
        }
        return switch (status / 100) {
            case 2 -> "2xx";
            case 3 -> "3xx";
            case 4 -> "4xx";
            case 5 -> "5xx";
            default -> ERROR;
        };
    }
}
