package dev.bbagent.webhook;

import static dev.bbagent.webhook.Json.at;
import static dev.bbagent.webhook.Json.bool;
import static dev.bbagent.webhook.Json.firstNonEmpty;
import static dev.bbagent.webhook.Json.number;
import static dev.bbagent.webhook.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.event.Comment;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.event.Person;
import dev.bbagent.event.PullRequest;
import dev.bbagent.event.Ref;
import dev.bbagent.event.Repository;
import java.util.Locale;

/** Bitbucket Data Center / Server payloads (camelCase, {@code pullRequest}, refs, epoch millis). */
final class DataCenterParser {

    private DataCenterParser() {}

    static Event parse(String key, JsonNode body) {
        String kind = EventKinds.kindOf(Edition.DATACENTER, key);
        PullRequest pr = null;
        Repository repo;
        if (kind.startsWith("pull_request.")) {
            JsonNode node = at(body, "pullRequest");
            if (node == null || !node.isObject()) {
                throw new MalformedPayloadException(key + " payload has no 'pullRequest' object");
            }
            repo = repository(at(node, "toRef", "repository"));
            if (repo.slug().isEmpty()) {
                throw new MalformedPayloadException(key + " payload has no 'pullRequest.toRef.repository.slug'");
            }
            pr = pullRequest(node);
            Required.id(key, "pullRequest.id", pr.id());
        } else {
            repo = repository(at(body, "repository"));
        }
        Comment comment = comment(body);
        Required.comment(key, kind, comment, "comment");
        return new Event(key, kind, Edition.DATACENTER, "", repo, person(at(body, "actor")), pr, null, comment, null,
                body);
    }

    static Repository repository(JsonNode repo) {
        if (repo == null) {
            return new Repository("", "", "", "");
        }
        String project = text(repo, "project", "key");
        String slug = text(repo, "slug");
        return new Repository(project, slug, null, text(repo, "id"));
    }

    static Person person(JsonNode user) {
        if (user == null) {
            return Person.UNKNOWN;
        }
        String id = firstNonEmpty(text(user, "slug"), text(user, "name"), text(user, "id"));
        String name = firstNonEmpty(text(user, "displayName"), text(user, "name"));
        return new Person(id, name, "SERVICE".equals(text(user, "type")));
    }

    private static PullRequest pullRequest(JsonNode pr) {
        JsonNode self = at(pr, "links", "self");
        String url = self != null && self.isArray() && !self.isEmpty() ? text(self.get(0), "href") : "";
        return new PullRequest(
                number(pr, "id"),
                text(pr, "title"),
                text(pr, "description"),
                text(pr, "state").toLowerCase(Locale.ROOT),
                bool(pr, "draft"),
                ref(at(pr, "fromRef")),
                ref(at(pr, "toRef")),
                person(at(pr, "author", "user")),
                url);
    }

    private static Ref ref(JsonNode ref) {
        if (ref == null) {
            return Ref.NONE;
        }
        String branch = text(ref, "displayId");
        if (branch.isEmpty()) {
            branch = text(ref, "id").replaceFirst("^refs/(heads|tags)/", "");
        }
        return new Ref(branch, text(ref, "latestCommit"));
    }

    private static Comment comment(JsonNode body) {
        JsonNode c = at(body, "comment");
        if (c == null || !c.isObject()) {
            return null;
        }
        return new Comment(
                number(c, "id"),
                text(c, "text"),
                text(c, "anchor", "path"),
                (int) number(c, "anchor", "line"),
                number(body, "commentParentId"),
                person(at(c, "author")));
    }
}
