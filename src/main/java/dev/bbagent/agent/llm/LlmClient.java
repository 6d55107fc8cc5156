package dev.bbagent.agent.llm;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model client: openai-java against any OpenAI-compatible server, with resilience4j owning retries
 * (openai-java's own are off). A transient failure (429, 5xx, timeout) is retried a few times within the
 * run, honouring retry-after; after that, or when the server asks for a long wait, it is handed to the job
 * layer as transient. A circuit breaker per base URL stops hammering an endpoint that keeps failing.
 */
public final class LlmClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LlmClient.class);
    /** Idle model connections kept for reuse: one per worker for up to 1,024 workers (BBAGENT_WORKERS). */
    private static final int MAX_IDLE_CONNECTIONS = 1024;
    private static final Set<String> OUTCOMES = Set.of("ok", "rate_limited", "server_error", "timeout", "unreachable",
            "circuit_open", "client_error", "auth", "bad_response", "error");

    /**
     * @param requestAttempts attempts per request within a run (1 = no retry)
     * @param backoff first wait between attempts (doubling, with jitter)
     * @param maxInRunWait a retry-after longer than this is not waited for in the run but handed to the job
     */
    public record Settings(String baseUrl, String apiKey, int requestAttempts, Duration backoff, Duration maxInRunWait,
            int breakerWindow, Duration breakerOpen) {

        public static Settings of(String baseUrl, String apiKey) {
            return new Settings(baseUrl, apiKey, 3, Duration.ofSeconds(2), Duration.ofSeconds(20), 10,
                    Duration.ofSeconds(30));
        }

        @Override
        public String toString() {
            return "Settings[baseUrl=" + baseUrl + ", apiKey=" + (apiKey == null || apiKey.isEmpty() ? "unset" : "set")
                    + ", requestAttempts=" + requestAttempts + "]";
        }
    }

    private final Settings settings;
    private final OpenAIClient client;
    private final LlmApi chat;
    private final LlmApi responses;
    private final Retry retry;
    private final CircuitBreaker breaker;
    private final MeterRegistry registry;

    public LlmClient(Settings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.client = OpenAIOkHttpClient.builder().baseUrl(settings.baseUrl())
                .apiKey(settings.apiKey() == null || settings.apiKey().isEmpty() ? "not-set" : settings.apiKey())
                .maxRetries(0)
                // OkHttp keeps only 5 idle connections by default: with more runs than that calling the model at
                // once over HTTP/1.1, most calls opened a new connection (bench/README.md, "Agent runtime").
                // Connections are still opened only on demand; this only stops closing them after each call.
                .maxIdleConnections(MAX_IDLE_CONNECTIONS).keepAliveDuration(Duration.ofMinutes(5))
                .build();
        this.chat = new ChatCompletionsApi(client, settings.baseUrl());
        this.responses = new ResponsesApi(client, settings.baseUrl());

        IntervalFunction exp = IntervalFunction.ofExponentialRandomBackoff(settings.backoff(), 2.0, 0.5);
        IntervalBiFunction<Object> wait = (attempt, outcome) -> {
            if (outcome.isLeft() && outcome.getLeft() instanceof LlmException le && le.retryAfter().isPresent()) {
                return Math.max(1, le.retryAfter().get().toMillis());
            }
            return exp.apply(attempt);
        };
        RetryConfig rc = RetryConfig.custom()
                .maxAttempts(settings.requestAttempts())
                .retryOnException(this::retryInRun)
                .intervalBiFunction(wait)
                .build();
        RetryRegistry retries = RetryRegistry.of(rc);
        this.retry = retries.retry("llm");
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(settings.breakerWindow())
                .minimumNumberOfCalls(Math.max(2, settings.breakerWindow() / 2))
                .failureRateThreshold(50)
                .waitDurationInOpenState(settings.breakerOpen())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof LlmException le && le.isTransient())
                .ignoreException(e -> e instanceof LlmException le && le.isInterrupted())
                .build());
        this.breaker = breakers.circuitBreaker("llm:" + settings.baseUrl());
        TaggedRetryMetrics.ofRetryRegistry(retries).bindTo(registry);
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    }

    /** Retry within the run only short waits; a long retry-after goes back to the job queue. */
    private boolean retryInRun(Throwable e) {
        return e instanceof LlmException le && le.isTransient()
                && le.retryAfter().map(d -> d.compareTo(settings.maxInRunWait()) <= 0).orElse(true)
                && !le.kind().equals("circuit_open") && !le.kind().equals("deadline");
    }

    /**
     * @param api "chat" or "responses"
     * @throws LlmException after the in-run retries, classified
     */
    public LlmReply complete(String api, LlmRequest request) {
        LlmApi target = "responses".equals(api) ? responses : chat;
        Supplier<LlmReply> guarded = () -> {
            if (request.deadline() != 0 && System.nanoTime() >= request.deadline()) {
                throw new LlmException("the run's time is up", false, null, "deadline", null);
            }
            try {
                return breaker.executeSupplier(() -> timed(target, request.bounded()));
            } catch (CallNotPermittedException e) {
                count(request.model(), "circuit_open");
                throw new LlmException("the model API at " + settings.baseUrl() + " failed repeatedly; not calling it for "
                        + settings.breakerOpen().toSeconds() + " s (circuit open)", true, settings.breakerOpen(),
                        "circuit_open", e);
            }
        };
        return Retry.decorateSupplier(retry, guarded).get();
    }

    private LlmReply timed(LlmApi target, LlmRequest request) {
        long start = System.nanoTime();
        try {
            LlmReply reply = target.complete(request);
            count(request.model(), "ok");
            tokens(request.model(), reply.usage());
            return reply;
        } catch (LlmException e) {
            if (e.isInterrupted()) {
                throw e; // bbagent stopped the run: no model failure to count or log
            }
            count(request.model(), e.kind());
            LOG.warn("model request failed ({}): {}", e.kind(), e.getMessage());
            throw e;
        } finally {
            Timer.builder("bbagent.llm.request").description("Model request latency").tag("model", request.model())
                    .publishPercentileHistogram(false)
                    .serviceLevelObjectives(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                            Duration.ofSeconds(60), Duration.ofSeconds(120))
                    .register(registry).record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private void count(String model, String outcome) {
        Counter.builder("bbagent.llm.requests").description("Model requests by outcome")
                .tag("model", model).tag("outcome", OUTCOMES.contains(outcome) ? outcome : "error")
                .register(registry).increment();
    }

    private void tokens(String model, LlmReply.Usage u) {
        add(model, "prompt", u.prompt() - u.cached());
        add(model, "cached", u.cached());
        add(model, "completion", u.completion());
    }

    private void add(String model, String type, long n) {
        Counter.builder("bbagent.llm.tokens").description("Tokens by model and type (prompt excludes cached)")
                .tag("model", model).tag("type", type).register(registry).increment(Math.max(0, n));
    }

    public String baseUrl() {
        return settings.baseUrl();
    }

    /** Whether the circuit to the model API is closed (for /health/ready details). */
    public String problem() {
        return breaker.getState() == CircuitBreaker.State.OPEN
                ? "the model API at " + settings.baseUrl() + " failed repeatedly (circuit open)" : null;
    }

    @Override
    public void close() {
        client.close();
    }
}
