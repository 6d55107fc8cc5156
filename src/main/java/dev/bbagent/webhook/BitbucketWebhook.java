package dev.bbagent.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.http.HttpError;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.store.Delivery;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.store.NewJob;
import java.util.List;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/bitbucket}: verify, parse, deduplicate and durably store a Bitbucket Cloud or
 * Data Center delivery, then answer. The answer comes only after the commit, so an accepted delivery
 * survives a crash right after the response. Bitbucket retries 5xx answers, so storage trouble is a 503.
 */
public final class BitbucketWebhook implements Handler {

    private static final Logger LOG = LoggerFactory.getLogger(BitbucketWebhook.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Bitbucket waits 10 s; answer before that so a slow disk turns into a retry, not a timeout. */
    private static final long STORE_WAIT_MS = 8_000;
    private static final Set<String> DROPPED_HEADERS = Set.of("x-hub-signature", "authorization", "cookie");

    private final SignatureVerifier verifier;
    private final DeliveryStore store;
    private final RulesRuntime rules;
    private final Metrics metrics;
    private final Clock clock;
    private final Runnable jobsQueued;

    /**
     * @param jobsQueued called after a delivery with jobs is stored (wakes the workers)
     */
    public BitbucketWebhook(SignatureVerifier verifier, DeliveryStore store, RulesRuntime rules, Metrics metrics,
            Clock clock, Runnable jobsQueued) {
        this.verifier = verifier;
        this.store = store;
        this.rules = rules;
        this.metrics = metrics;
        this.clock = clock;
        this.jobsQueued = jobsQueued;
    }

    @Override
    public void handle(Context ctx) {
        long start = System.nanoTime();
        Edition guess = BitbucketEvents.detectEdition(ctx::header, ctx.header("X-Event-Key"), null);
        String[] label = {guess.wire(), "other"};
        try {
            Outcome outcome = process(ctx, label);
            ctx.status(outcome.status()).json(outcome.body());
            count(label, outcome.name());
        } catch (HttpError e) {
            count(label, outcomeOf(e));
            throw e;
        } finally {
            metrics.intake(label[0]).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private record Outcome(String name, int status, Map<String, Object> body) {}

    private Outcome process(Context ctx, String[] label) {
        RequestBody.requireJson(ctx);
        byte[] raw = RequestBody.read(ctx);
        String key = trimToNull(ctx.header("X-Event-Key"));

        if (EventKinds.PING.equals(key)) {
            // Data Center's "Test connection": unsigned, body {"test": true}. Nothing is stored.
            return new Outcome("ping", 200, Map.of("status", "pong"));
        }
        verify(ctx.header("X-Hub-Signature"), raw);

        JsonNode body = parseJson(raw);
        if (key == null && body.hasNonNull("eventKey")) {
            key = body.get("eventKey").asText();
        }
        if (key == null || key.isBlank()) {
            throw new HttpError(400, "malformed", "missing event key: send the X-Event-Key header "
                    + "(Bitbucket always does; is this request from Bitbucket?)");
        }
        Edition edition = BitbucketEvents.detectEdition(ctx::header, key, body);
        label[0] = edition.wire();
        label[1] = EventKinds.isKnown(edition, key) ? key : "other";

        String id = BitbucketEvents.deliveryId(edition, ctx::header);
        if (id == null) {
            id = contentId(key, raw);
        }
        Event event = parseEvent(edition, key, id, body);
        RulesRuntime.Match match = rules.match(event);
        List<String> matched = match.matched().stream().map(CompiledRule::name).toList();
        boolean acted = event.actionable() || !matched.isEmpty();
        String status = acted ? "accepted" : "ignored";
        Delivery delivery = new Delivery(id, edition.wire(), key, event.kind(), event.repository().fullName(),
                event.thread(), status, attempt(ctx), clock.instant(), keptHeaders(ctx), raw, matched);

        List<NewJob> jobs = Jobs.forMatch(match, event);
        boolean stored = storeDurably(delivery, jobs);
        if (stored && !jobs.isEmpty()) {
            jobsQueued.run();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if (!stored) {
            answer.put("status", "duplicate");
            answer.put("delivery", id);
            return new Outcome("duplicate", 200, answer);
        }
        answer.put("status", status);
        answer.put("delivery", id);
        answer.put("event", event.kind());
        if (acted) {
            answer.put("rules", matched);
            return new Outcome("accepted", 202, answer);
        }
        answer.put("reason", "bbagent does not act on " + key + " events and no rule names it; the delivery is stored");
        return new Outcome("ignored", 200, answer);
    }

    private void verify(String header, byte[] raw) {
        switch (verifier.verify(header, raw)) {
            case VALID, UNSIGNED_ALLOWED -> { }
            case MISSING -> throw new HttpError(401, "unauthorized", verifier.hasSecrets()
                    ? "missing X-Hub-Signature header: set the same secret in the Bitbucket webhook as in "
                            + "BITBUCKET_WEBHOOK_SECRET"
                    : "no webhook secret is configured; set BITBUCKET_WEBHOOK_SECRET");
            case UNSUPPORTED_ALGORITHM -> throw new HttpError(401, "unauthorized",
                    "X-Hub-Signature must be 'sha256=<hex>'; other algorithms are refused");
            case MISMATCH -> throw new HttpError(401, "unauthorized",
                    "X-Hub-Signature does not match the body for any configured secret: the secret in the "
                            + "Bitbucket webhook differs from BITBUCKET_WEBHOOK_SECRET");
        }
    }

    private static JsonNode parseJson(byte[] raw) {
        try {
            JsonNode node = JSON.readTree(raw);
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

    private static Event parseEvent(Edition edition, String key, String id, JsonNode body) {
        try {
            return BitbucketEvents.parse(edition, key, id, body);
        } catch (MalformedPayloadException e) {
            throw new HttpError(400, "malformed", e.getMessage());
        }
    }

    private boolean storeDurably(Delivery delivery, List<NewJob> jobs) {
        try {
            return store.insert(delivery, jobs).get(STORE_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("delivery {}: storage did not commit within {} ms; answering 503 so Bitbucket retries",
                    delivery.id(), STORE_WAIT_MS);
            throw storeError("storage is slow: the delivery was not confirmed within 8 s");
        } catch (ExecutionException e) {
            LOG.error("delivery {}: could not be stored: {}", delivery.id(), e.getCause().getMessage());
            throw storeError("could not store the delivery: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw storeError("interrupted while storing the delivery");
        }
    }

    private static HttpError storeError(String message) {
        return new HttpError(503, "store_error", message + "; Bitbucket retries 5xx answers, and bbagent "
                + "deduplicates the retry. Check the data folder's disk (see /health/ready)");
    }

    private static int attempt(Context ctx) {
        String n = ctx.header("X-Attempt-Number");
        try {
            return n == null ? 1 : Math.max(1, Integer.parseInt(n.trim()));
        } catch (NumberFormatException e) {
            return 1;
        }
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
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(key.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) '\n');
            return "sha256:" + HexFormat.of().formatHex(sha.digest(raw));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String outcomeOf(HttpError e) {
        return switch (e.status()) {
            case 401 -> "unauthorized";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 503 -> "store_error";
            default -> "malformed";
        };
    }

    private void count(String[] label, String outcome) {
        metrics.delivery(label[0], label[1], outcome).increment();
    }

    private static String trimToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
