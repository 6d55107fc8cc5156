package dev.bbagent.fake.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted, OpenAI-compatible HTTP server on {@code 127.0.0.1}, for tests and for {@code bbagent demo}. It
 * answers {@code POST /v1/chat/completions} and {@code POST /v1/responses} in the exact shapes the openai-java
 * client parses, and records every request it receives.
 *
 * <p><b>Script.</b> Replies are consumed first in, first out, one per chat or responses request; the queue is
 * shared by both APIs because a {@link Reply} renders for either. When the queue is empty the
 * {@linkplain #fallback(Function) fallback responder} answers; without one the fake answers 400 with code
 * {@code fake_script_exhausted}, so an unscripted call fails fast instead of being retried. Requests asking for
 * {@code "stream": true} or with a body that is not JSON are answered 400 without consuming a reply.
 *
 * <p><b>Other paths.</b> {@code GET /v1/models} lists the models requested so far (or {@value #DEFAULT_MODEL});
 * any other path answers 404 with an OpenAI error body. Every request, these included, is recorded.
 *
 * <p>Thread-safe. A delayed reply waits on its own request thread, and wakes up when the fake is closed.
 *
 * <pre>{@code
 * try (FakeOpenAi fake = FakeOpenAi.started()) {
 *     fake.enqueue(Reply.toolCall("get_diff", "{\"pr\":7}"), Reply.text("LGTM"));
 *     OpenAIClient client = OpenAIOkHttpClient.builder()
 *             .baseUrl(fake.baseUrl()).apiKey("test").maxRetries(0).build();
 *     // ... run the agent ...
 *     assertThat(fake.requests().get(1).toolResults()).extracting(ToolResult::callId).containsExactly("call_1");
 * }
 * }</pre>
 */
public final class FakeOpenAi implements AutoCloseable {

    /** The model named in replies and in {@code /v1/models} when requests name none. */
    public static final String DEFAULT_MODEL = Wire.DEFAULT_MODEL;

    static final String CHAT_PATH = "/v1/chat/completions";
    static final String RESPONSES_PATH = "/v1/responses";
    static final String MODELS_PATH = "/v1/models";

    private static final Logger LOG = LoggerFactory.getLogger(FakeOpenAi.class);
    private static final String ROUTED = "fake-openai.routed";

    private final Clock clock;
    private final Ids ids = new Ids();
    private final CountDownLatch closing = new CountDownLatch(1);

    private final Object lock = new Object();
    private final Deque<Reply> script = new ArrayDeque<>();
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private int received;
    private int keep = Integer.MAX_VALUE;
    private Function<RecordedRequest, Reply> fallback;
    private Javalin server;

    /** A fake that is not listening yet; call {@link #start()}. */
    public FakeOpenAi() {
        this(Clock.systemUTC());
    }

    /** A fake whose {@code created} timestamps come from {@code clock}. */
    public FakeOpenAi(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new fake, already listening. */
    public static FakeOpenAi started() {
        return new FakeOpenAi().start();
    }

    /** Start listening on {@code 127.0.0.1} on a free port. */
    public FakeOpenAi start() {
        synchronized (lock) {
            if (server != null) {
                throw new IllegalStateException("FakeOpenAi is already started");
            }
            server = Javalin.create(cfg -> {
                cfg.startup.showJavalinBanner = false;
                cfg.concurrency.useVirtualThreads = true;
                cfg.http.maxRequestSize = 64L << 20;
                cfg.routes.post(CHAT_PATH, this::answer);
                cfg.routes.post(RESPONSES_PATH, this::answer);
                cfg.routes.get(MODELS_PATH, this::listModels);
                cfg.routes.error(404, this::unknownPath);
                cfg.routes.error(405, this::unknownPath);
                cfg.routes.exception(Exception.class, (e, ctx) -> {
                    LOG.warn("FakeOpenAi failed on {} {}", ctx.method(), ctx.path(), e);
                    send(ctx, 500, Wire.errorBody("FakeOpenAi failed: " + e, "server_error", "fake_failure"));
                });
            }).start("127.0.0.1", 0);
            return this;
        }
    }

    /** The port the fake listens on. */
    public int port() {
        synchronized (lock) {
            if (server == null) {
                throw new IllegalStateException("FakeOpenAi is not started");
            }
            return server.port();
        }
    }

    /** The base URL to give the OpenAI client, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Append replies to the script. */
    public FakeOpenAi enqueue(Reply... replies) {
        List<Reply> steps = Arrays.asList(replies);
        steps.forEach(reply -> Objects.requireNonNull(reply, "reply"));
        synchronized (lock) {
            script.addAll(steps);
        }
        return this;
    }

    /**
     * Set the responder used when the script is empty, or {@code null} to have none. It may be called from
     * several request threads at once; returning {@code null} counts as having no answer, and an exception it
     * throws is answered 500 with code {@code fake_failure}.
     */
    public FakeOpenAi fallback(Function<RecordedRequest, Reply> responder) {
        synchronized (lock) {
            fallback = responder;
        }
        return this;
    }

    /**
     * Keep only the newest {@code max} requests (every request still gets the next index). For long runs such as
     * benchmarks, which would otherwise hold every request ever received in memory.
     */
    public FakeOpenAi keepAtMost(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("keepAtMost needs at least 1, got " + max);
        }
        synchronized (lock) {
            keep = max;
            while (recorded.size() > keep) {
                recorded.removeFirst();
            }
        }
        return this;
    }

    /** How many scripted replies are still queued. */
    public int pendingReplies() {
        synchronized (lock) {
            return script.size();
        }
    }

    /** Every request received so far (the newest ones, after {@link #keepAtMost}), oldest first. */
    public List<RecordedRequest> requests() {
        synchronized (lock) {
            return List.copyOf(recorded);
        }
    }

    /** The requests received so far on one API, oldest first. */
    public List<RecordedRequest> requests(Api api) {
        return requests().stream().filter(r -> r.api() == api).toList();
    }

    /** The newest request. */
    public RecordedRequest lastRequest() {
        synchronized (lock) {
            if (recorded.isEmpty()) {
                throw new IllegalStateException("FakeOpenAi has received no request");
            }
            return recorded.getLast();
        }
    }

    /**
     * Wait until at least {@code count} requests have arrived (a request counts as soon as it is received,
     * before any scripted delay) and return them all.
     *
     * @throws IllegalStateException when {@code timeout} passes first, listing what did arrive
     */
    public List<RecordedRequest> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (received < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException("FakeOpenAi expected " + count + " requests within " + timeout
                            + " but received " + received + ": " + recorded);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while awaiting requests", e);
                }
            }
            return List.copyOf(recorded);
        }
    }

    /** Stop listening. Delayed replies still waiting are answered at once. */
    @Override
    public void close() {
        closing.countDown();
        Javalin running;
        synchronized (lock) {
            running = server;
        }
        if (running != null) {
            running.stop();
        }
    }

    private void answer(Context ctx) {
        ctx.attribute(ROUTED, true);
        String raw = ctx.body();
        RecordedRequest request;
        Reply scripted;
        Function<RecordedRequest, Reply> responder;
        synchronized (lock) {
            request = record(ctx, raw, parse(raw));
            Reply refusal = refusal(request);
            scripted = refusal != null ? refusal : script.poll();
            responder = fallback;
        }
        Reply reply = renderable(request, scripted != null ? scripted : improvise(request, responder));
        LOG.debug("FakeOpenAi {} -> {}", request, reply);
        pause(reply.delay());
        switch (reply) {
            case Reply.Failure failure -> {
                failure.headers().forEach(ctx::header);
                send(ctx, failure.status(), Wire.errorBody(failure.message(), failure.type(), failure.code()));
            }
            case Reply.Answer answer -> {
                long now = clock.instant().getEpochSecond();
                send(ctx, 200, request.api() == Api.RESPONSES
                        ? ResponsesRenderer.render(answer, request, ids, now)
                        : ChatRenderer.render(answer, request, ids, now));
            }
        }
    }

    /** The 400 the fake answers without consuming a reply, or {@code null}. */
    private static Reply refusal(RecordedRequest request) {
        if (!request.hasJsonBody()) {
            return Reply.error(400, "We could not parse the JSON body of your request.");
        }
        if (request.streaming()) {
            return scriptError("fake_streaming_unsupported", "FakeOpenAi does not stream; send \"stream\": false");
        }
        return null;
    }

    /** The fallback responder's reply when the script is empty, else a script-exhausted error. */
    private static Reply improvise(RecordedRequest request, Function<RecordedRequest, Reply> responder) {
        Reply reply = responder == null ? null : responder.apply(request);
        if (reply != null) {
            return reply;
        }
        LOG.warn("FakeOpenAi has no reply for {}", request);
        return scriptError("fake_script_exhausted",
                "FakeOpenAi has no scripted reply left for " + request + " and no fallback responder");
    }

    /** {@code reply}, or a script error when it cannot be expressed in the request's API. */
    private static Reply renderable(RecordedRequest request, Reply reply) {
        if (reply instanceof Reply.Answer answer && request.api() == Api.CHAT && !answer.mcpCalls().isEmpty()) {
            return scriptError("fake_script_error", "FakeOpenAi: a reply with hosted MCP calls was scripted for a"
                    + " chat completion; mcp_call items exist only in the Responses API");
        }
        return reply;
    }

    private static Reply.Failure scriptError(String code, String message) {
        return Reply.error(400, message).withCode(code);
    }

    private void listModels(Context ctx) {
        ctx.attribute(ROUTED, true);
        Set<String> models = new LinkedHashSet<>();
        synchronized (lock) {
            record(ctx, ctx.body(), parse(ctx.body()));
            recorded.forEach(r -> r.model().ifPresent(models::add));
        }
        if (models.isEmpty()) {
            models.add(DEFAULT_MODEL);
        }
        ObjectNode list = Wire.JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        models.forEach(id -> data.addObject().put("id", id).put("object", "model").put("created", 0)
                .put("owned_by", "bbagent-fake"));
        send(ctx, 200, list);
    }

    private void unknownPath(Context ctx) {
        if (ctx.attribute(ROUTED) != null) {
            return; // a scripted 404 or 405, already answered
        }
        synchronized (lock) {
            record(ctx, ctx.body(), parse(ctx.body()));
        }
        send(ctx, 404, Wire.errorBody("Unknown request URL: " + ctx.method() + " " + ctx.path()
                + ". Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.",
                "invalid_request_error", "unknown_url"));
    }

    /** Record a request; the caller holds {@link #lock}. */
    private RecordedRequest record(Context ctx, String raw, JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.headerMap().forEach((name, value) -> {
            String key = name.toLowerCase(Locale.ROOT);
            headers.put(key, key.equals("authorization") ? RecordedRequest.REDACTED : value);
        });
        RecordedRequest request = new RecordedRequest(received++, ctx.method().name(), ctx.path(), headers,
                raw, body);
        recorded.addLast(request);
        if (recorded.size() > keep) {
            recorded.removeFirst();
        }
        lock.notifyAll();
        return request;
    }

    private void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parse(String raw) {
        if (raw.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            return Wire.JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            return MissingNode.getInstance();
        }
    }

    private static void send(Context ctx, int status, ObjectNode body) {
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
