package dev.bbagent.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.bbagent.event.Event;
import dev.bbagent.http.HttpError;
import dev.bbagent.http.JsonMappers;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.Arrival;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.store.Insertion;
import dev.bbagent.store.NewJob;
import dev.bbagent.store.Payloads;
import dev.bbagent.store.StoreTimeoutException;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The steps every webhook route shares (Bitbucket, Jira): the signature check, JSON parsing, matching the event
 * against the rules in force, the durable store with its jobs before answering, the answer, and the metrics
 * {@code bbagent_webhook_deliveries_total{edition,event,outcome}} and {@code bbagent_webhook_intake_seconds{edition}}.
 */
final class Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);
    private static final ObjectMapper JSON = JsonMappers.create();
    /** A body is one JSON value: {@code {"a":1} trailing} is refused, not read as its first value. */
    private static final ObjectReader STRICT = JSON.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Bitbucket waits 10 s (Jira about as long); answer before that so a slow disk turns into a retry. */
    private static final Duration STORE_WAIT = Duration.ofSeconds(8);
    private static final Set<String> DROPPED_HEADERS = Set.of("x-hub-signature", "authorization", "cookie");

    /** What a route answered: the outcome label, the status and the JSON body. */
    record Outcome(String name, int status, Map<String, Object> body) {}

    /**
     * A route's steps after the checked body is read ({@link RequestBody#read}). Once the signature checks out they
     * {@link Slot#open} the slot; {@link #accept} closes it once the delivery is handed to the store.
     */
    @FunctionalInterface
    interface Steps {
        Outcome run(Context ctx, byte[] raw, Slot slot);
    }

    /**
     * A request's place in the store's open batch ({@link DeliveryStore#expect}): taken only once the request
     * is verified, so that unsigned or badly signed requests never hold a commit back, and given back when
     * the delivery is handed over or the request ends.
     */
    static final class Slot implements Arrival {
        private final DeliveryStore store;
        private Arrival arrival;

        private Slot(DeliveryStore store) {
            this.store = store;
        }

        /** The delivery is verified: the store's open batch may wait for it. */
        void open() {
            if (arrival == null) {
                arrival = store.expect();
            }
        }

        @Override
        public void close() {
            if (arrival != null) {
                arrival.close();
            }
        }
    }

    /** Who sends to a route, for messages: its name ("Bitbucket") and its secret's variable. */
    record Sender(String name, String secretVariable) {}

    private final Sender sender;
    private final DeliveryStore store;
    private final RulesRuntime rules;
    private final Metrics metrics;
    private final Clock clock;
    private final Runnable jobsQueued;
    private final BodyBudget bodies;

    Intake(Sender sender, DeliveryStore store, RulesRuntime rules, Metrics metrics, Clock clock, Runnable jobsQueued,
            BodyBudget bodies) {
        this.sender = sender;
        this.bodies = bodies;
        this.store = store;
        this.rules = rules;
        this.metrics = metrics;
        this.clock = clock;
        this.jobsQueued = jobsQueued;
    }

    RulesRuntime rules() {
        return rules;
    }

    /**
     * Run a route's steps, answer, and count the outcome under {@code label} ({edition, event}), which the steps
     * refine as they learn more; an {@link HttpError} is counted and rethrown for the error mapper.
     */
    void handle(Context ctx, String[] label, Steps steps) {
        long start = System.nanoTime();
        try {
            RequestBody.requireJson(ctx);
            // The body's memory is held until it is answered (see BodyBudget).
            try (RequestBody.Held body = RequestBody.read(ctx, bodies)) {
                Outcome outcome;
                // From its verification until it is handed to the store (CPU work only), the store's open
                // batch may wait for the delivery.
                try (Slot slot = new Slot(store)) {
                    outcome = steps.run(ctx, body.bytes(), slot);
                }
                answer(ctx, outcome);
                count(label, outcome.name());
            }
        } catch (HttpError e) {
            count(label, outcomeOf(e));
            throw e;
        } finally {
            metrics.intake(label[0]).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Write the answer straight to the response: Javalin would copy a result through a new 32 KB buffer per
     * response (half of all the bytes a delivery allocated, bench/README.md).
     */
    private static void answer(Context ctx, Outcome outcome) {
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(outcome.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("answer not serializable: " + outcome.body(), e);
        }
        ctx.status(outcome.status()).contentType(ContentType.APPLICATION_JSON);
        ctx.res().setContentLength(json.length);
        try {
            ctx.res().getOutputStream().write(json);
        } catch (java.io.IOException e) {
            // The sender went away; the delivery is stored either way and a retry is a duplicate.
            LOG.debug("could not write the answer: {}", e.getMessage());
        }
    }

    /** Fail closed: anything but a valid signature (or the explicit unsigned opt-in) is a 401. */
    void verify(SignatureVerifier verifier, String header, byte[] raw) {
        switch (verifier.verify(header, raw)) {
            case VALID, UNSIGNED_ALLOWED -> { }
            case MISSING -> throw new HttpError(401, "unauthorized", verifier.hasSecrets()
                    ? "missing X-Hub-Signature header: set the same secret in the " + sender.name() + " webhook as in "
                            + sender.secretVariable()
                    : "no webhook secret is configured; set " + sender.secretVariable());
            case UNSUPPORTED_ALGORITHM -> throw new HttpError(401, "unauthorized",
                    "X-Hub-Signature must be 'sha256=<hex>'; other algorithms are refused");
            case MISMATCH -> throw new HttpError(401, "unauthorized",
                    "X-Hub-Signature does not match the body for any configured secret: the secret in the "
                            + sender.name() + " webhook differs from " + sender.secretVariable());
        }
    }

    static JsonNode parseJson(byte[] raw) {
        try {
            JsonNode node = STRICT.readTree(raw);
            if (node == null || !node.isObject()) {
                throw new HttpError(400, "malformed", "the body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new HttpError(400, "malformed", "the body is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (java.io.IOException e) {
            throw new HttpError(400, "malformed", "the body could not be read as JSON: " + e.getMessage());
        }
    }

    /**
     * Match the event against the rules in force, store the delivery with a job per matched rule, and answer
     * accepted or ignored; or {@code duplicate} when its id was stored before, or {@code duplicate_event} when
     * the same event was stored with jobs under another id (see {@link DeliveryStore}).
     */
    Outcome accept(Context ctx, Event event, byte[] raw, int attempt, Arrival arrival) {
        RulesRuntime.Match match = rules.match(event);
        List<String> matched = match.matched().stream().map(CompiledRule::name).toList();
        boolean acted = event.actionable() || !matched.isEmpty();
        String status = acted ? "accepted" : "ignored";
        String id = event.delivery();
        Delivery delivery = new Delivery(id, event.edition().wire(), event.key(), event.kind(),
                event.repository().fullName(), event.thread(), status, attempt, clock.instant(), keptHeaders(ctx), raw,
                matched);
        List<NewJob> jobs = Jobs.forMatch(match, event);
        Insertion stored = storeDurably(delivery, jobs, arrival);
        Map<String, Object> answer = new LinkedHashMap<>();
        switch (stored.kind()) {
            case DUPLICATE -> {
                answer.put("status", "duplicate");
                answer.put("delivery", id);
                return new Outcome("duplicate", 200, answer);
            }
            case SAME_EVENT -> {
                LOG.info("delivery {}: the same {} event as delivery {} (another webhook, or a resend); stored, no "
                        + "job queued again", id, event.key(), stored.sameEventAs());
                answer.put("status", Delivery.SAME_EVENT);
                answer.put("delivery", id);
                answer.put("same_event_as", stored.sameEventAs());
                answer.put("reason", "the same event (event key and body byte for byte) arrived as delivery "
                        + stored.sameEventAs() + " at " + stored.sameEventAt() + ", and its jobs were queued then: "
                        + "this one is stored but runs nothing. Two webhooks on this repository or workspace send "
                        + "every event twice. To run the rules again: bin/bbagent replay " + stored.sameEventAs()
                        + ", or POST /api/deliveries/" + stored.sameEventAs() + "/replay");
                return new Outcome(Delivery.SAME_EVENT, 200, answer);
            }
            case STORED -> {
                if (!jobs.isEmpty()) {
                    jobsQueued.run();
                }
            }
        }
        answer.put("status", status);
        answer.put("delivery", id);
        answer.put("event", event.kind());
        if (acted) {
            answer.put("rules", matched);
            return new Outcome("accepted", 202, answer);
        }
        answer.put("reason", "bbagent does not act on " + event.key() + " events and no rule names it; the delivery "
                + "is stored");
        return new Outcome("ignored", 200, answer);
    }

    private Insertion storeDurably(Delivery delivery, List<NewJob> jobs, Arrival arrival) {
        CompletableFuture<Insertion> stored;
        try {
            stored = store.insert(delivery, jobs, STORE_WAIT);
        } catch (RuntimeException e) {
            // Not a storage failure the store could report through its future: a bug. Still an answer the
            // sender retries, and counted (an uncaught exception would be an uncounted 500).
            LOG.error("delivery {}: could not be handed to the store", delivery.id(), e);
            throw storeError("could not store the delivery: " + e);
        } finally {
            arrival.close();
        }
        try {
            // An untimed wait: the store fails the future itself after STORE_WAIT (see SqliteWriter).
            return stored.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StoreTimeoutException) {
                LOG.warn("delivery {}: storage did not commit within {} s; answering 503 so {} retries",
                        delivery.id(), STORE_WAIT.toSeconds(), sender.name());
                throw storeError("storage is slow: the delivery was not confirmed within "
                        + STORE_WAIT.toSeconds() + " s");
            }
            LOG.error("delivery {}: could not be stored: {}", delivery.id(), e.getCause().getMessage());
            throw storeError("could not store the delivery: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("interrupted while storing the delivery");
        }
    }

    private HttpError storeError(String message) {
        return new HttpError(503, "store_error", message + "; " + sender.name() + " retries 5xx answers, and bbagent "
                + "deduplicates the retry. Check the data folder's disk (see /health/ready)");
    }

    private static Map<String, String> keptHeaders(Context ctx) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : ctx.headerMap().entrySet()) {
            if (!DROPPED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                kept.put(h.getKey(), h.getValue());
            }
        }
        return kept;
    }

    /** Without a delivery id header, the same key and body are the same delivery. */
    static String contentId(String key, byte[] raw) {
        return "sha256:" + HexFormat.of().formatHex(Payloads.fingerprint(key, raw));
    }

    /** A header as a positive number (an attempt count), else the default. */
    static int positive(String value, int byDefault) {
        try {
            return value == null ? byDefault : Math.max(1, Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return byDefault;
        }
    }

    static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String outcomeOf(HttpError e) {
        return switch (e.code()) {
            case "unauthorized", "too_large", "unsupported_media_type", "store_error", "busy", "aborted" -> e.code();
            default -> "malformed";
        };
    }

    private void count(String[] label, String outcome) {
        metrics.delivery(label[0], label[1], outcome).increment();
    }
}
