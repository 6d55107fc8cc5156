package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The documented JSON shapes of Jira Cloud's REST v3 (issues, comments, users, transitions) and of its webhook
 * payloads (REST v2 {@code self} links, as Jira sends them).
 */
final class JiraShapes {

    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    /** The fields a comment event's issue carries (Jira sends a reduced issue with comment events). */
    static final Set<String> COMMENT_EVENT_FIELDS = Set.of("summary", "issuetype", "project", "assignee", "priority",
            "status");

    /** The site's address, known once the server listens. */
    private volatile String site = "";

    void bind(String address) {
        this.site = address;
    }

    String site() {
        return site;
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    JsonNode user(JiraUser u) {
        if (u == null) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("self", site + "/rest/api/3/user?accountId=" + u.accountId());
        o.put("accountId", u.accountId());
        o.putObject("avatarUrls").put("48x48", "https://avatar.example/" + u.accountId() + ".png");
        o.put("displayName", u.displayName());
        o.put("active", true);
        o.put("timeZone", "Etc/UTC");
        o.put("accountType", u.accountType());
        return o;
    }

    /** {@code GET /rest/api/3/myself} adds the email address. */
    ObjectNode myself(JiraUser u) {
        ObjectNode o = (ObjectNode) user(u);
        o.put("emailAddress", u.email());
        return o;
    }

    /**
     * An issue; {@code fields} null for every field, else only those named.
     *
     * @param api "3" for REST answers, "2" for webhook payloads
     */
    ObjectNode issue(JiraModel.Issue i, Collection<String> fields, String api) {
        ObjectNode o = NODES.objectNode();
        o.put("expand", "renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations");
        o.put("id", Long.toString(i.id));
        o.put("self", site + "/rest/api/" + api + "/issue/" + i.id);
        o.put("key", i.key);
        ObjectNode f = o.putObject("fields");
        if (want(fields, "summary")) {
            f.put("summary", i.summary);
        }
        if (want(fields, "description")) {
            f.set("description", i.description == null ? NODES.nullNode() : i.description);
        }
        if (want(fields, "status")) {
            f.set("status", status(i.status));
        }
        if (want(fields, "issuetype")) {
            f.putObject("issuetype").put("self", site + "/rest/api/3/issuetype/1").put("id", "1")
                    .put("name", i.type).put("subtask", false);
        }
        if (want(fields, "priority")) {
            f.putObject("priority").put("self", site + "/rest/api/3/priority/3").put("name", i.priority)
                    .put("id", Integer.toString(JiraModel.PRIORITIES.indexOf(i.priority) + 1));
        }
        if (want(fields, "reporter")) {
            f.set("reporter", user(i.reporter));
        }
        if (want(fields, "creator")) {
            f.set("creator", user(i.reporter));
        }
        if (want(fields, "assignee")) {
            f.set("assignee", user(i.assignee));
        }
        if (want(fields, "labels")) {
            ArrayNode labels = f.putArray("labels");
            i.labels.forEach(labels::add);
        }
        if (want(fields, "project")) {
            f.putObject("project").put("self", site + "/rest/api/3/project/" + i.project.id).put("id", i.project.id)
                    .put("key", i.project.key).put("name", i.project.name).put("projectTypeKey", "software")
                    .put("simplified", false);
        }
        if (want(fields, "created")) {
            f.put("created", time(i.created));
        }
        if (want(fields, "updated")) {
            f.put("updated", time(i.updated));
        }
        if (want(fields, "comment")) {
            ObjectNode c = f.putObject("comment");
            ArrayNode list = c.putArray("comments");
            i.comments.forEach(x -> list.add(comment(i, x, api)));
            c.put("self", site + "/rest/api/" + api + "/issue/" + i.id + "/comment");
            c.put("maxResults", i.comments.size()).put("total", i.comments.size()).put("startAt", 0);
        }
        return o;
    }

    ObjectNode comment(JiraModel.Issue i, JiraModel.Comment c, String api) {
        ObjectNode o = NODES.objectNode();
        o.put("self", site + "/rest/api/" + api + "/issue/" + i.id + "/comment/" + c.id);
        o.put("id", Long.toString(c.id));
        o.set("author", user(c.author));
        o.set("body", c.body);
        o.set("updateAuthor", user(c.author));
        o.put("created", time(c.created));
        o.put("updated", time(c.updated));
        o.put("jsdPublic", true);
        return o;
    }

    ObjectNode status(JiraModel.Status s) {
        ObjectNode o = NODES.objectNode();
        o.put("self", site + "/rest/api/3/status/" + s.id());
        o.put("name", s.name());
        o.put("id", s.id());
        o.putObject("statusCategory").put("key", s.categoryKey()).put("name", s.categoryName());
        return o;
    }

    ObjectNode transitions(JiraModel.Issue i) {
        ObjectNode o = NODES.objectNode();
        o.put("expand", "transitions");
        ArrayNode list = o.putArray("transitions");
        for (JiraModel.Status s : JiraModel.transitions(i)) {
            ObjectNode t = list.addObject();
            t.put("id", s.transitionId());
            t.put("name", s.name());
            t.set("to", status(s));
            t.put("hasScreen", false).put("isGlobal", true).put("isInitial", false).put("isAvailable", true)
                    .put("isConditional", false).put("isLooped", false);
        }
        return o;
    }

    // ---- webhook payloads (Jira Cloud admin webhooks)

    ObjectNode issueEvent(String event, String typeName, JiraModel.Issue i, JiraUser by, Instant at) {
        ObjectNode o = NODES.objectNode();
        o.put("timestamp", at.toEpochMilli());
        o.put("webhookEvent", event);
        o.put("issue_event_type_name", typeName);
        o.set("user", user(by));
        o.set("issue", issue(i, null, "2"));
        return o;
    }

    /** A change to one field, as {@code changelog.items[]} lists it. */
    record Change(String field, String fieldId, String from, String fromText, String to, String toText) {}

    ObjectNode updateEvent(String typeName, JiraModel.Issue i, JiraUser by, Instant at, List<Change> changes) {
        ObjectNode o = issueEvent("jira:issue_updated", typeName, i, by, at);
        ObjectNode log = o.putObject("changelog");
        log.put("id", Long.toString(at.toEpochMilli() % 100_000));
        ArrayNode items = log.putArray("items");
        for (Change c : changes) {
            items.addObject().put("field", c.field()).put("fieldtype", "jira").put("fieldId", c.fieldId())
                    .put("from", c.from()).put("fromString", c.fromText()).put("to", c.to())
                    .put("toString", c.toText());
        }
        return o;
    }

    ObjectNode commentEvent(String event, JiraModel.Issue i, JiraModel.Comment c, Instant at) {
        ObjectNode o = NODES.objectNode();
        o.put("timestamp", at.toEpochMilli());
        o.put("webhookEvent", event);
        o.set("comment", comment(i, c, "2"));
        o.set("issue", issue(i, COMMENT_EVENT_FIELDS, "2"));
        return o;
    }

    private static boolean want(Collection<String> fields, String name) {
        return fields == null || fields.contains(name) || fields.contains("*all") || fields.contains("*navigable");
    }
}
