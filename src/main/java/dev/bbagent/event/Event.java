package dev.bbagent.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.http.JsonMappers;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The normalized event every later stage reads: rules, prompts, history. The same shape for Bitbucket
 * Cloud, Data Center and Jira. Rule conditions and templates see it through {@link #toMap}, with the
 * snake_case names documented in docs/events.md.
 *
 * @param key the raw event key as sent ({@code pullrequest:created}, {@code pr:opened})
 * @param kind the normalized kind ({@code pull_request.opened}), see {@link EventKinds}
 * @param pullRequest null unless the event concerns a pull request
 * @param issue null unless the event concerns an issue
 * @param comment null unless the event carries a comment
 * @param thread {@code workspace/slug#pr-12}, {@code workspace/slug#issue-7}, or {@code workspace/slug}
 * @param payload the raw JSON body
 */
public record Event(
        String key,
        String kind,
        Edition edition,
        String delivery,
        Repository repository,
        Person actor,
        PullRequest pullRequest,
        Issue issue,
        Comment comment,
        String thread,
        JsonNode payload) {

    private static final ObjectMapper MAPPER = JsonMappers.create();

    public Event {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(edition, "edition");
        delivery = delivery == null ? "" : delivery;
        repository = Objects.requireNonNullElse(repository, new Repository("", "", "", ""));
        actor = Objects.requireNonNullElse(actor, Person.UNKNOWN);
        thread = thread == null ? threadKey(repository, pullRequest, issue) : thread;
    }

    /** The thread key that serializes work on one pull request or issue. */
    public static String threadKey(Repository repo, PullRequest pr, Issue issue) {
        if (pr != null) {
            return repo.fullName() + "#pr-" + pr.id();
        }
        if (issue != null) {
            return repo.fullName() + "#issue-" + issue.id();
        }
        return repo.fullName();
    }

    /** Whether bbagent acts on events of this kind (pull requests and issues). */
    public boolean actionable() {
        return EventKinds.isActionable(kind);
    }

    /** A copy with another delivery id (the id is known only after the headers are read). */
    public Event withDelivery(String deliveryId) {
        return new Event(key, kind, edition, deliveryId, repository, actor, pullRequest, issue, comment, thread, payload);
    }

    /**
     * The event as nested maps with snake_case keys, for CEL conditions and Mustache templates. Sections
     * the event does not have ({@code pull_request}, {@code issue}, {@code comment}) are absent.
     *
     * @param withPayload include {@code payload} converted to maps (costs a tree walk)
     */
    public Map<String, Object> toMap(boolean withPayload) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("key", key);
        ev.put("kind", kind);
        ev.put("edition", edition.wire());
        ev.put("delivery", delivery);
        m.put("event", ev);
        m.put("repository", repository.toMap());
        m.put("actor", actor.toMap());
        if (pullRequest != null) {
            m.put("pull_request", pullRequest.toMap());
        }
        if (issue != null) {
            m.put("issue", issue.toMap());
        }
        if (comment != null) {
            m.put("comment", comment.toMap());
        }
        m.put("thread", thread);
        if (withPayload) {
            m.put("payload", payload == null ? Map.of() : MAPPER.convertValue(payload, Map.class));
        }
        return m;
    }
}
