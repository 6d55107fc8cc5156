package dev.bbagent.webhook;

import static dev.bbagent.webhook.Json.at;
import static dev.bbagent.webhook.Json.firstNonEmpty;
import static dev.bbagent.webhook.Json.text;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.event.Comment;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import dev.bbagent.event.Issue;
import dev.bbagent.event.Person;
import dev.bbagent.event.Repository;
import dev.bbagent.jira.Adf;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Jira webhook payloads (Cloud admin webhooks; Data Center's have the same shape with wiki-markup text) into the
 * normalized {@link Event}: {@code jira:issue_created} is {@code issue.created}, {@code jira:issue_updated}
 * {@code issue.updated}, {@code comment_created} {@code issue.comment_created}, with the issue key as
 * {@code issue.id}.
 *
 * <p>Which repository an issue belongs to comes from {@code jira.projects} in rules.yaml (project key to
 * {@code workspace/slug}); an unmapped project gets a repository of its own per Jira site: workspace
 * {@code jira-<site host>}, slug the project key in lower case ({@code jira-acme.atlassian.net/proj}).
 */
public final class JiraParser {

    /** The workspace prefix of unmapped projects' repositories. */
    public static final String UNMAPPED_PREFIX = "jira-";

    private JiraParser() {}

    /**
     * Parse a delivery, mapping its project to a repository with {@code projects}.
     *
     * @throws MalformedPayloadException when an issue event has no issue with a key
     */
    public static Event parse(String key, String deliveryId, JsonNode body, Map<String, String> projects) {
        if (body == null || !body.isObject()) {
            throw new MalformedPayloadException("the body must be a JSON object");
        }
        String kind = EventKinds.kindOf(Edition.JIRA, key);
        JsonNode issueNode = at(body, "issue");
        Issue issue = null;
        if (kind.startsWith("issue.")) {
            if (issueNode == null || !issueNode.isObject() || text(issueNode, "key").isEmpty()) {
                throw new MalformedPayloadException(key + " payload has no 'issue' object with a 'key'");
            }
        }
        String site = site(body);
        Repository repo = new Repository("", "", "", "");
        if (issueNode != null && issueNode.isObject() && !text(issueNode, "key").isEmpty()) {
            issue = issue(issueNode, site);
            repo = repository(site, issue.project(), projects);
        }
        Comment comment = comment(at(body, "comment"));
        Person actor = at(body, "user") != null ? person(at(body, "user"))
                : comment != null ? comment.author() : Person.UNKNOWN;
        return new Event(key, kind, Edition.JIRA, deliveryId, repo, actor, null, issue, comment, null, body);
    }

    /**
     * Parse a stored delivery with the repository it was given at intake (so a job runs in the same history and
     * thread it was queued for, whatever {@code jira.projects} says now).
     */
    public static Event parse(String key, String deliveryId, JsonNode body, String repository) {
        Event e = parse(key, deliveryId, body, Map.of());
        int slash = repository == null ? -1 : repository.indexOf('/');
        if (slash <= 0 || e.issue() == null) {
            return e;
        }
        Repository repo = new Repository(repository.substring(0, slash), repository.substring(slash + 1), repository, "");
        return new Event(e.key(), e.kind(), e.edition(), e.delivery(), repo, e.actor(), null, e.issue(), e.comment(),
                null, e.payload());
    }

    /**
     * The repository of a project: the {@code jira.projects} entry (project keys compared ignoring case), else
     * {@code jira-<site host>/<project key in lower case>}.
     */
    public static Repository repository(String site, String project, Map<String, String> projects) {
        for (Map.Entry<String, String> e : projects.entrySet()) {
            int slash = e.getValue().indexOf('/');
            if (e.getKey().equalsIgnoreCase(project) && slash > 0) {
                return new Repository(e.getValue().substring(0, slash), e.getValue().substring(slash + 1), e.getValue(), "");
            }
        }
        String host = "";
        try {
            host = site.isEmpty() ? "" : URI.create(site).getHost();
        } catch (IllegalArgumentException e) {
            // not a URL: the workspace is just "jira"
        }
        String workspace = host == null || host.isEmpty() ? "jira" : UNMAPPED_PREFIX + host.toLowerCase(Locale.ROOT);
        return new Repository(workspace, project.toLowerCase(Locale.ROOT), "", "");
    }

    /**
     * The Jira site a payload came from, e.g. {@code https://acme.atlassian.net}: the part of the issue's (else
     * the comment's or user's) {@code self} link before {@code /rest/}, so a Data Center context path is kept.
     */
    static String site(JsonNode body) {
        for (String[] path : new String[][] {{"issue", "self"}, {"comment", "self"}, {"user", "self"}}) {
            String self = text(body, path);
            int rest = self.indexOf("/rest/");
            if (rest > 0) {
                return self.substring(0, rest);
            }
        }
        return "";
    }

    private static Issue issue(JsonNode issue, String site) {
        JsonNode f = at(issue, "fields");
        String key = text(issue, "key");
        String project = text(f, "project", "key");
        if (project.isEmpty() && key.contains("-")) {
            project = key.substring(0, key.lastIndexOf('-'));
        }
        List<String> labels = new ArrayList<>();
        JsonNode l = at(f, "labels");
        if (l != null) {
            l.forEach(x -> labels.add(x.asText()));
        }
        JsonNode description = at(f, "description");
        return new Issue(key, text(f, "summary"), Adf.toText(description),
                text(f, "status", "name").toLowerCase(Locale.ROOT), text(f, "issuetype", "name"),
                text(f, "priority", "name"), person(at(f, "reporter")), person(at(f, "assignee")), labels,
                site.isEmpty() ? "" : site + "/browse/" + key, Adf.raw(description), project);
    }

    private static Comment comment(JsonNode c) {
        if (c == null || !c.isObject()) {
            return null;
        }
        long id;
        try {
            id = Long.parseLong(text(c, "id").trim());
        } catch (NumberFormatException e) {
            id = 0;
        }
        return new Comment(id, Adf.toText(at(c, "body")), "", 0, 0, person(at(c, "author")));
    }

    /** Cloud: {@code accountId}, {@code accountType} ("app" for apps); Data Center: {@code key}, {@code name}. */
    static Person person(JsonNode user) {
        if (user == null || !user.isObject()) {
            return Person.UNKNOWN;
        }
        String id = firstNonEmpty(text(user, "accountId"), text(user, "key"), text(user, "name"));
        String name = firstNonEmpty(text(user, "displayName"), text(user, "name"));
        return new Person(id, name, text(user, "accountType").equals("app"));
    }
}
