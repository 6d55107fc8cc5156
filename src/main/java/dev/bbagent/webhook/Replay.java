package dev.bbagent.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.http.JsonMappers;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.store.JobStore;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Matches a stored delivery against the current rules again and queues new jobs for it. */
public final class Replay {

    /** What a replay queued: the rules that matched now and the new job ids. */
    public record Result(String delivery, List<String> rules, List<Long> jobs) {}

    private static final ObjectMapper JSON = JsonMappers.create();

    private final DeliveryStore deliveries;
    private final JobStore jobs;
    private final RulesRuntime rules;
    private final Clock clock;

    public Replay(DeliveryStore deliveries, JobStore jobs, RulesRuntime rules, Clock clock) {
        this.deliveries = deliveries;
        this.jobs = jobs;
        this.rules = rules;
        this.clock = clock;
    }

    /** Empty when no delivery has that id. */
    public Optional<Result> replay(String deliveryId) {
        Optional<Delivery> stored = deliveries.get(deliveryId);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Event event = event(stored.get());
        RulesRuntime.Match match = rules.match(event);
        List<Long> ids = jobs.enqueue(deliveryId, Jobs.forMatch(match, event), clock.instant());
        return Optional.of(new Result(deliveryId, match.matched().stream().map(CompiledRule::name).toList(), ids));
    }

    /**
     * The event of a stored delivery, parsed exactly as at intake; a Jira issue keeps the repository its project
     * was mapped to then.
     */
    public static Event event(Delivery d) {
        try {
            var body = JSON.readTree(d.body());
            Edition edition = Edition.fromWire(d.edition());
            if (edition == Edition.JIRA) {
                // the repository the project was mapped to at intake, so jobs keep their history and thread
                return JiraParser.parse(d.eventKey(), d.id(), body, d.repo());
            }
            return BitbucketEvents.parse(edition, d.eventKey(), d.id(), body);
        } catch (IOException e) {
            throw new MalformedPayloadException("stored delivery " + d.id() + " is not JSON: " + e.getMessage());
        }
    }
}
