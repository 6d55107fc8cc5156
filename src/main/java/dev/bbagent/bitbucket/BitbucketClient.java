package dev.bbagent.bitbucket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A Bitbucket Cloud REST 2.0 client: JSON in and out, pagination by {@code next} links, errors mapped to
 * {@link BitbucketException}, and a request budget per credential.
 *
 * <p>Redirects (the pull-request {@code diff} and {@code diffstat} answer 302) are followed here rather than by
 * {@link HttpClient}: each hop then counts against the budget and the metrics, and the {@code Authorization}
 * header goes only to the API's own origin (scheme, host and port of {@link BitbucketConfig#apiUrl()}). The JDK
 * client would also keep it on same-origin redirects and drop it on others (JDK 25
 * {@code HttpRequestImpl.newInstanceForRedirection}); doing it explicitly keeps that rule visible and tested.
 *
 * <p>Thread-safe. Share one client per credential: its rate limiter is that credential's budget. Create it once
 * per {@link MeterRegistry}, since its gauges register under fixed names. {@link #close()} releases the HTTP client.
 */
public final class BitbucketClient implements AutoCloseable {

    private static final int MAX_REDIRECTS = 5;
    private static final int MAX_JSON_BYTES = 32 << 20;
    private static final int MAX_ERROR_BYTES = 64 << 10;
    private static final String USER_AGENT = "bbagent";
    private static final String JSON = "application/json";

    private final BitbucketConfig config;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final RateLimiter budget;
    private final RequestMetrics metrics;
    private final Backoff backoff;

    /**
     * @param registry where the request counter and the rate-limit gauges go
     * @param clock the time source of the request budget and of {@code Retry-After} dates
     */
    public BitbucketClient(BitbucketConfig config, MeterRegistry registry, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        Objects.requireNonNull(clock, "clock");
        this.http = HttpClient.newBuilder()
                .connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.budget = RateLimiter.of("bitbucket-" + config.auth().id(), RateLimiterConfig.custom()
                .limitForPeriod(config.requestsPerHour())
                .limitRefreshPeriod(Duration.ofHours(1))
                .timeoutDuration(Duration.ZERO)
                .build(), () -> nanos(clock.instant()));
        this.metrics = new RequestMetrics(registry);
        this.backoff = new Backoff(config.backoffInitial(), config.backoffMax(), clock);
    }

    /** The configuration this client was built with. */
    public BitbucketConfig config() {
        return config;
    }

    /** The account the credential acts as ({@code GET /user}): the bot's identity. */
    public BitbucketAccount currentUser() {
        return BitbucketAccount.from(get(ApiPath.of("user")));
    }

    /** {@code GET} a JSON resource. */
    public JsonNode get(ApiPath path) {
        return get(path, Query.empty());
    }

    /** {@code GET} a JSON resource with query parameters. */
    public JsonNode get(ApiPath path, Query query) {
        return readJson("GET", uri(path, query), null);
    }

    /**
     * {@code GET} a paginated list and follow its {@code next} links up to the limit. Asks for
     * {@code pagelen} pages of Bitbucket's largest common size unless the query sets {@code pagelen} itself.
     */
    public Listing list(ApiPath path, Query query, PageLimit limit) {
        Query first = query.has("pagelen") ? query : query.and("pagelen", limit.pagelen());
        return Pagination.collect(get(path, first), limit, next -> readJson("GET", nextPage(next), null));
    }

    /**
     * {@code GET} a body as bytes (a file from {@code /src}, a diff), following redirects, reading at most
     * {@code maxBytes}; the rest is not downloaded.
     */
    public RawContent getRaw(ApiPath path, Query query, int maxBytes) {
        URI uri = uri(path, query);
        HttpResponse<InputStream> r = send("GET", uri, null, "*/*");
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            boolean truncated = bytes.length > maxBytes;
            if (truncated) {
                bytes = Arrays.copyOf(bytes, maxBytes);
            }
            OptionalLong length = r.headers().firstValueAsLong("Content-Length");
            return new RawContent(bytes, truncated, length, r.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw ApiErrors.unreachable("GET", uri, e, backoff.afterFailure()); // the body broke off
        }
    }

    /** {@code POST} a JSON body; returns the JSON answer. */
    public JsonNode post(ApiPath path, JsonNode body) {
        return readJson("POST", uri(path, Query.empty()), Objects.requireNonNull(body, "body"));
    }

    /** {@code PUT} a JSON body; returns the JSON answer. */
    public JsonNode put(ApiPath path, JsonNode body) {
        return readJson("PUT", uri(path, Query.empty()), Objects.requireNonNull(body, "body"));
    }

    /** {@code DELETE} a resource. */
    public void delete(ApiPath path, Query query) {
        readJson("DELETE", uri(path, query), null);
    }

    /** Releases the HTTP client's resources. */
    @Override
    public void close() {
        http.close();
    }

    private URI uri(ApiPath path, Query query) {
        return URI.create(config.apiUrl() + path.encoded() + (query.isEmpty() ? "" : "?" + query.encoded()));
    }

    /** A {@code next} link, which must point back at the API's own origin: it will carry the credential. */
    private URI nextPage(String next) {
        URI uri;
        try {
            uri = URI.create(next);
        } catch (IllegalArgumentException e) {
            throw ApiErrors.badAnswer("GET", config.apiUrl(), "the next-page link '" + next + "' is not a URL");
        }
        if (!sameOrigin(uri)) {
            throw ApiErrors.badAnswer("GET", uri, "the next-page link leaves " + origin(config.apiUrl())
                    + "; not following it with the credential");
        }
        return uri;
    }

    private JsonNode readJson(String method, URI uri, JsonNode body) {
        HttpResponse<InputStream> r = send(method, uri, body, JSON);
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_JSON_BYTES + 1);
            if (bytes.length > MAX_JSON_BYTES) {
                throw ApiErrors.badAnswer(method, uri, "the answer is larger than " + (MAX_JSON_BYTES >> 20) + " MB");
            }
            if (bytes.length == 0) {
                return NullNode.instance;
            }
            return json.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw ApiErrors.badAnswer(method, uri, "the answer is not JSON (" + e.getOriginalMessage() + ")");
        } catch (IOException e) {
            throw ApiErrors.unreachable(method, uri, e, backoff.afterFailure()); // the body broke off
        }
    }

    /**
     * Sends the request and follows redirects; answers 2xx or throws. A 303, and a 301/302 after a POST, continue
     * as a GET without a body, as browsers and the JDK client do.
     */
    private HttpResponse<InputStream> send(String method, URI uri, JsonNode body, String accept) {
        String verb = method;
        URI target = uri;
        byte[] payload = body == null ? null : bytes(body);
        for (int hop = 0; ; hop++) {
            HttpResponse<InputStream> r = exchange(verb, target, payload, accept);
            int status = r.statusCode();
            if (status < 300) {
                backoff.succeeded();
                return r;
            }
            byte[] answer = readError(r);
            if (status >= 400) {
                throw ApiErrors.fromResponse(json, verb, target, status, answer, r.headers(),
                        () -> backoff.afterFailure(r.headers()));
            }
            String location = r.headers().firstValue("Location").orElse(null);
            if (!isRedirect(status) || location == null) {
                throw ApiErrors.badAnswer(verb, target, "an unexpected " + status + " answer");
            }
            if (hop == MAX_REDIRECTS) {
                throw ApiErrors.badAnswer(verb, uri, "more than " + MAX_REDIRECTS + " redirects");
            }
            try {
                target = target.resolve(location);
            } catch (IllegalArgumentException e) {
                throw ApiErrors.badAnswer(verb, target, "the redirect to '" + location + "' is not a URL");
            }
            if (status == 303 || (status != 307 && status != 308 && verb.equals("POST"))) {
                verb = "GET";
                payload = null;
            }
        }
    }

    /** One HTTP exchange, counted against the budget and in the metrics. */
    private HttpResponse<InputStream> exchange(String method, URI uri, byte[] payload, String accept) {
        if (!budget.acquirePermission()) {
            throw ApiErrors.overBudget(config.requestsPerHour(), untilNextPermit());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Accept", accept)
                .header("User-Agent", USER_AGENT);
        if (sameOrigin(uri)) {
            request.header("Authorization", config.auth().authorization());
        }
        if (payload == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", JSON).method(method, HttpRequest.BodyPublishers.ofByteArray(payload));
        }
        try {
            HttpResponse<InputStream> r = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            metrics.answered(r.statusCode(), r.headers());
            return r;
        } catch (IOException e) {
            metrics.failed();
            throw ApiErrors.unreachable(method, uri, e, backoff.afterFailure());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BitbucketException(0, "interrupted while waiting for Bitbucket: " + method + " " + uri.getRawPath(),
                    false, null, e);
        }
    }

    private static byte[] readError(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(MAX_ERROR_BYTES);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private Duration untilNextPermit() {
        if (budget instanceof AtomicRateLimiter atomic) {
            return Duration.ofNanos(Math.max(0, atomic.getDetailedMetrics().getNanosToWait()));
        }
        return Duration.ofHours(1);
    }

    private byte[] bytes(JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize a request body", e);
        }
    }

    private boolean sameOrigin(URI uri) {
        return origin(uri).equals(origin(config.apiUrl()));
    }

    private static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        int port = uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
        return scheme + "://" + host + ":" + port;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
