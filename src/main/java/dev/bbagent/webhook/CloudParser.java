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
import dev.bbagent.event.Issue;
import dev.bbagent.event.Person;
import dev.bbagent.event.PullRequest;
import dev.bbagent.event.Ref;
import dev.bbagent.event.Repository;
import java.util.List;
import java.util.Locale;

/** Bitbucket Cloud payloads (snake_case, {@code pullrequest}, {@code repository}, {@code actor}). */
final class CloudParser {

    private CloudParser() {}

    static Event parse(String key, JsonNode body) {
        String kind = EventKinds.kindOf(Edition.CLOUD, key);
        Repository repo = repository(at(body, "repository"));
        PullRequest pr = null;
        Issue issue = null;
        if (kind.startsWith("pull_request.")) {
            JsonNode node = at(body, "pullrequest");
            if (node == null || !node.isObject()) {
                throw new MalformedPayloadException(key + " payload has no 'pullrequest' object");
            }
            pr = pullRequest(node);
            Required.id(key, "pullrequest.id", pr.id());
        } else if (kind.startsWith("issue.")) {
            JsonNode node = at(body, "issue");
            if (node == null || !node.isObject()) {
                throw new MalformedPayloadException(key + " payload has no 'issue' object");
            }
            issue = issue(node);
            Required.id(key, "issue.id", number(node, "id"));
        }
        if ((pr != null || issue != null) && repo.slug().isEmpty()) {
            throw new MalformedPayloadException(key + " payload has no 'repository.full_name'");
        }
        Comment comment = comment(at(body, "comment"));
        Required.comment(key, kind, comment, "comment");
        return new Event(key, kind, Edition.CLOUD, "", repo, person(at(body, "actor")), pr, issue, comment, null, body);
    }

    static Repository repository(JsonNode repo) {
        if (repo == null) {
            return new Repository("", "", "", "");
        }
        String fullName = text(repo, "full_name");
        int slash = fullName.indexOf('/');
        String workspace = firstNonEmpty(text(repo, "workspace", "slug"), slash > 0 ? fullName.substring(0, slash) : "");
        String slug = slash > 0 ? fullName.substring(slash + 1) : text(repo, "slug");
        return new Repository(workspace, slug, fullName, text(repo, "uuid"));
    }

    static Person person(JsonNode account) {
        if (account == null) {
            return Person.UNKNOWN;
        }
        String id = firstNonEmpty(text(account, "account_id"), text(account, "uuid"), text(account, "username"));
        String name = firstNonEmpty(text(account, "display_name"), text(account, "nickname"), text(account, "username"));
        String type = text(account, "type");
        // Cloud marks humans "user"; repository/workspace access tokens and apps act as "app_user".
        boolean bot = !type.isEmpty() && !type.equals("user");
        return new Person(id, name, bot);
    }

    private static PullRequest pullRequest(JsonNode pr) {
        return new PullRequest(
                number(pr, "id"),
                text(pr, "title"),
                text(pr, "description"),
                text(pr, "state").toLowerCase(Locale.ROOT),
                bool(pr, "draft"),
                new Ref(text(pr, "source", "branch", "name"), text(pr, "source", "commit", "hash")),
                new Ref(text(pr, "destination", "branch", "name"), text(pr, "destination", "commit", "hash")),
                person(at(pr, "author")),
                text(pr, "links", "html", "href"));
    }

    private static Issue issue(JsonNode issue) {
        return new Issue(
                Long.toString(number(issue, "id")),
                text(issue, "title"),
                text(issue, "content", "raw"),
                text(issue, "state").toLowerCase(Locale.ROOT),
                text(issue, "kind"),
                text(issue, "priority"),
                person(at(issue, "reporter")),
                person(at(issue, "assignee")),
                List.of(),
                text(issue, "links", "html", "href"));
    }

    private static Comment comment(JsonNode c) {
        if (c == null || !c.isObject()) {
            return null;
        }
        long line = number(c, "inline", "to");
        if (line == 0) {
            line = number(c, "inline", "from");
        }
        return new Comment(
                number(c, "id"),
                text(c, "content", "raw"),
                text(c, "inline", "path"),
                (int) line,
                number(c, "parent", "id"),
                person(at(c, "user")));
    }
}
