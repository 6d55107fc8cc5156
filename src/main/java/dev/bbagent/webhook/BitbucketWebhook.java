package dev.bbagent.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.http.HttpError;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.DeliveryStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.util.Map;

/**
 * {@code POST /webhooks/bitbucket}: verify, parse, deduplicate and durably store a Bitbucket Cloud or
 * Data Center delivery, then answer. The answer comes only after the commit, so an accepted delivery
 * survives a crash right after the response. Bitbucket retries 5xx answers, so storage trouble is a 503.
 * The steps shared with the Jira route are in {@link Intake}.
 */
public final class BitbucketWebhook implements Handler {

    private final SignatureVerifier verifier;
    private final Intake intake;

    /**
     * @param jobsQueued called after a delivery with jobs is stored (wakes the workers)
     * @param bodies the memory all webhook routes share for bodies being read
     */
    public BitbucketWebhook(SignatureVerifier verifier, DeliveryStore store, RulesRuntime rules, Metrics metrics,
            Clock clock, Runnable jobsQueued, BodyBudget bodies) {
        this.verifier = verifier;
        this.intake = new Intake(new Intake.Sender("Bitbucket", "BITBUCKET_WEBHOOK_SECRET"), store, rules, metrics,
                clock, jobsQueued, bodies);
    }

    @Override
    public void handle(Context ctx) {
        Edition guess = BitbucketEvents.detectEdition(ctx::header, ctx.header("X-Event-Key"), null);
        String[] label = {guess.wire(), "other"};
        intake.handle(ctx, label, (c, raw, slot) -> process(c, raw, label, slot));
    }

    private Intake.Outcome process(Context ctx, byte[] raw, String[] label, Intake.Slot slot) {
        String key = Intake.trimToNull(ctx.header("X-Event-Key"));

        if (EventKinds.PING.equals(key)) {
            // Data Center's "Test connection": unsigned, body {"test": true}. Nothing is stored.
            label[1] = EventKinds.PING;
            return new Intake.Outcome("ping", 200, Map.of("status", "pong"));
        }
        intake.verify(verifier, ctx.header("X-Hub-Signature"), raw);
        slot.open();

        JsonNode body = Intake.parseJson(raw);
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
        Event event = parseEvent(edition, key, id == null ? Intake.contentId(key, raw) : id, body);
        return intake.accept(ctx, event, raw, Intake.positive(ctx.header("X-Attempt-Number"), 1), slot);
    }

    private static Event parseEvent(Edition edition, String key, String id, JsonNode body) {
        try {
            return BitbucketEvents.parse(edition, key, id, body);
        } catch (MalformedPayloadException e) {
            throw new HttpError(400, "malformed", e.getMessage());
        }
    }
}
