package dev.bbagent.jira;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.bbagent.tools.RetryAfter;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A Jira Cloud REST v3 client: JSON in and out, HTTP Basic with the account's email and API token, errors mapped
 * to {@link JiraException} (quoting Jira's {@code errorMessages} and {@code errors}), and one request budget
 * ({@code requestsPerMinute}) shared by every caller of this client. Redirects are not followed, so the
 * credential only goes to the configured site.
 *
 * <p>Thread-safe; share one per process and registry ({@code bbagent_jira_requests_total{status_class}}).
 */
public final class JiraClient implements AutoCloseable {

    private static final int MAX_JSON_BYTES = 16 << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;

    private final JiraConfig config;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final RateLimiter budget;
    private final Map<String, Counter> requests;
    private final IntervalFunction intervals;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();

    public JiraClient(JiraConfig config, MeterRegistry registry, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.budget = RateLimiter.of("jira-" + config.email(), RateLimiterConfig.custom()
                .limitForPeriod(config.requestsPerMinute())
                .limitRefreshPeriod(Duration.ofMinutes(1))
                .timeoutDuration(Duration.ZERO)
                .build(), () -> nanos(clock.instant()));
        this.requests = Stream.of("2xx", "3xx", "4xx", "429", "5xx", "error").collect(Collectors.toUnmodifiableMap(
                Function.identity(), c -> Counter.builder("bbagent.jira.requests")
                        .description("Requests to the Jira REST API by status class (error: no answer)")
                        .tag("status_class", c).register(registry)));
        this.intervals = IntervalFunction.ofExponentialRandomBackoff(config.backoffInitial(), 2.0, 0.5,
                config.backoffMax());
    }

    public JiraConfig config() {
        return config;
    }

    /** The account the credential acts as ({@code GET /rest/api/3/myself}): bbagent's own Jira identity. */
    public JsonNode myself() {
        return get("/rest/api/3/myself", Map.of());
    }

    /** {@code GET} a JSON resource; {@code query} values are encoded here. */
    public JsonNode get(String path, Map<String, String> query) {
        return exchange("GET", uri(path, query), null);
    }

    public JsonNode post(String path, JsonNode body) {
        return exchange("POST", uri(path, Map.of()), Objects.requireNonNull(body, "body"));
    }

    /** {@code PUT}; Jira often answers 204 without a body, read as {@link NullNode}. */
    public JsonNode put(String path, JsonNode body) {
        return exchange("PUT", uri(path, Map.of()), Objects.requireNonNull(body, "body"));
    }

    /** One path segment, percent-encoded (an issue key, a project key). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void close() {
        http.close();
    }

    private URI uri(String path, Map<String, String> query) {
        StringJoiner q = new StringJoiner("&");
        query.forEach((k, v) -> q.add(segment(k) + "=" + segment(v)));
        return URI.create(config.baseUrl() + path + (query.isEmpty() ? "" : "?" + q));
    }

    private JsonNode exchange(String method, URI uri, JsonNode body) {
        if (!budget.acquirePermission()) {
            throw JiraErrors.overBudget(config.requestsPerMinute(), untilNextPermit());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                .header("Accept", "application/json")
                .header("User-Agent", "bbagent")
                .header("Authorization", config.authorization());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        }
        HttpResponse<InputStream> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            requests.get("error").increment();
            throw JiraErrors.unreachable(method, uri, e, afterFailure(null));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JiraException(0, "interrupted while waiting for Jira: " + method + " " + uri.getRawPath(), false,
                    null, e);
        }
        int status = r.statusCode();
        requests.get(statusClass(status)).increment();
        try (InputStream in = r.body()) {
            if (status >= 300) {
                byte[] answer = in.readNBytes(MAX_ERROR_BYTES);
                if (status < 400) {
                    throw JiraErrors.badAnswer(method, uri, "an unexpected " + status + " answer (redirects are not "
                            + "followed; is " + JiraConfig.ENV_BASE_URL + " the site's address?)");
                }
                throw JiraErrors.fromResponse(json, method, uri, status, answer, () -> afterFailure(r));
            }
            consecutiveFailures.set(0);
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw JiraErrors.badAnswer(method, uri, "the answer is larger than " + (MAX_JSON_BYTES >> 20) + " MB");
            }
            return bytes.length == 0 ? NullNode.instance : json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw JiraErrors.badAnswer(method, uri, "the answer is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw JiraErrors.unreachable(method, uri, e, afterFailure(null));
        }
    }

    /** The answer's {@code Retry-After} when usable, else an exponential backoff with jitter. */
    private Duration afterFailure(HttpResponse<?> r) {
        int n = consecutiveFailures.incrementAndGet();
        return (r == null ? java.util.Optional.<Duration>empty() : RetryAfter.parse(r.headers(), clock))
                .orElseGet(() -> Duration.ofMillis(intervals.apply(n)));
    }

    private Duration untilNextPermit() {
        if (budget instanceof AtomicRateLimiter atomic) {
            return Duration.ofNanos(Math.max(0, atomic.getDetailedMetrics().getNanosToWait()));
        }
        return Duration.ofMinutes(1);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize a request body", e);
        }
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
            default -> "error";
        };
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
