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

/**
 * {@code POST /webhooks/jira}: Jira Cloud admin webhooks (and Jira Data Center's, which have the same shape).
 * The same steps, answers and metrics as {@link BitbucketWebhook} ({@link Intake}), with {@code edition="jira"}:
 * the signature {@code X-Hub-Signature: sha256=<hex>} keyed with {@code JIRA_WEBHOOK_SECRET} (fail closed: with
 * no secret configured every delivery is a 401 saying to set it), the delivery id from
 * {@code X-Atlassian-Webhook-Identifier} (the same on Jira's retries; else the SHA-256 of event and body), the
 * event from the body's {@code webhookEvent}, and the project mapped to a repository with the
 * {@code jira.projects} of the rules in force.
 */
public final class JiraWebhook implements Handler {

    private final SignatureVerifier verifier;
    private final Intake intake;

    public JiraWebhook(SignatureVerifier verifier, DeliveryStore store, RulesRuntime rules, Metrics metrics, Clock clock,
            Runnable jobsQueued, BodyBudget bodies) {
        this.verifier = verifier;
        this.intake = new Intake(new Intake.Sender("Jira", "JIRA_WEBHOOK_SECRET"), store, rules, metrics, clock,
                jobsQueued, bodies);
    }

    @Override
    public void handle(Context ctx) {
        String[] label = {Edition.JIRA.wire(), "other"};
        intake.handle(ctx, label, (c, raw, slot) -> process(c, raw, label, slot));
    }

    private Intake.Outcome process(Context ctx, byte[] raw, String[] label, Intake.Slot slot) {
        intake.verify(verifier, ctx.header("X-Hub-Signature"), raw);
        slot.open();
        JsonNode body = Intake.parseJson(raw);
        String key = body.path("webhookEvent").asText("").trim();
        if (key.isEmpty()) {
            throw new HttpError(400, "malformed", "missing event: the body has no 'webhookEvent' "
                    + "(Jira always sends one; is this request from Jira?)");
        }
        label[1] = EventKinds.isKnown(Edition.JIRA, key) ? key : "other";
        String id = Intake.trimToNull(ctx.header("X-Atlassian-Webhook-Identifier"));
        Event event;
        try {
            event = JiraParser.parse(key, id == null ? Intake.contentId(key, raw) : id, body,
                    intake.rules().current().jiraProjects());
        } catch (MalformedPayloadException e) {
            throw new HttpError(400, "malformed", e.getMessage());
        }
        // Jira counts retries from 1 in X-Atlassian-Webhook-Retry; the first attempt sends none.
        int retry = Intake.positive(ctx.header("X-Atlassian-Webhook-Retry"), 0);
        return intake.accept(ctx, event, raw, retry + 1, slot);
    }
}
