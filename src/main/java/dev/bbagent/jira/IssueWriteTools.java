package dev.bbagent.jira;

import static dev.bbagent.jira.IssueReadTools.issuePath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code add_issue_comment}, {@code update_issue}, {@code transition_issue} and {@code create_issue}. */
final class IssueWriteTools {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final JiraClient client;

    IssueWriteTools(JiraClient client) {
        this.client = client;
    }

    BuiltinTool addComment() {
        ToolSchema schema = JiraTools.issueSchema()
                .required("body", ToolSchema.string("The comment, as plain text; blank lines separate paragraphs."));
        return JiraTools.define("add_issue_comment", "Add a comment to a Jira issue.", schema, JiraTools.Effect.WRITE,
                a -> {
                    String key = a.issueKey("issue_key");
                    ObjectNode body = JiraCompact.object();
                    body.set("body", Adf.fromText(a.text("body")));
                    JsonNode created = client.post(issuePath(key) + "/comment", body);
                    ObjectNode out = JiraCompact.comment(created);
                    out.put("issue_key", key);
                    out.put("url", client.config().browseUrl(key) + "?focusedCommentId=" + created.path("id").asText(""));
                    return out.toString();
                });
    }

    BuiltinTool updateIssue() {
        ToolSchema schema = JiraTools.issueSchema()
                .optional("summary", ToolSchema.string("New summary (title)."))
                .optional("description", ToolSchema.string("New description, plain text; replaces the old one."))
                .optional("priority", ToolSchema.string("New priority by name, e.g. High."))
                .optional("assignee_account_id", ToolSchema.string("Account id of the new assignee."))
                .optional("labels_add", ToolSchema.strings("Labels to add (no spaces in a label)."))
                .optional("labels_remove", ToolSchema.strings("Labels to remove."))
                .optional("fields", ToolSchema.object("Other fields by id, values in Jira REST v3 form, e.g. "
                        + "{\"duedate\": \"2026-12-01\"}."));
        return JiraTools.define("update_issue", "Change a Jira issue's summary, description, priority, assignee, "
                + "labels or other fields; the issue's history keeps the old values.", schema, JiraTools.Effect.WRITE,
                a -> {
                    String key = a.issueKey("issue_key");
                    ObjectNode body = JiraCompact.object();
                    ObjectNode fields = body.putObject("fields");
                    a.object("fields").forEach((k, v) -> fields.set(k, JSON.valueToTree(v)));
                    a.optionalText("summary").ifPresent(s -> fields.put("summary", s));
                    a.optionalText("description").ifPresent(d -> fields.set("description", Adf.fromText(d)));
                    a.optionalText("priority").ifPresent(p -> fields.putObject("priority").put("name", p));
                    a.optionalText("assignee_account_id").ifPresent(id -> fields.putObject("assignee").put("accountId", id));
                    ArrayNode labels = JSON.createArrayNode();
                    for (String l : a.texts("labels_add")) {
                        labels.addObject().put("add", label(l));
                    }
                    for (String l : a.texts("labels_remove")) {
                        labels.addObject().put("remove", l);
                    }
                    if (!labels.isEmpty()) {
                        body.putObject("update").set("labels", labels);
                    }
                    if (fields.isEmpty() && labels.isEmpty()) {
                        throw new ToolError("nothing to change: give summary, description, priority, "
                                + "assignee_account_id, labels_add, labels_remove or fields");
                    }
                    if (fields.isEmpty()) {
                        body.remove("fields");
                    }
                    client.put(issuePath(key), body);
                    List<String> changed = new ArrayList<>();
                    fields.fieldNames().forEachRemaining(changed::add);
                    if (!labels.isEmpty()) {
                        changed.add("labels");
                    }
                    ObjectNode out = JiraCompact.object().put("issue_key", key).put("url", client.config().browseUrl(key));
                    changed.forEach(out.putArray("updated")::add);
                    return out.toString();
                });
    }

    BuiltinTool transitionIssue() {
        ToolSchema schema = JiraTools.issueSchema()
                .required("transition", ToolSchema.string("The transition's name or id (see list_transitions), or the "
                        + "name of the status it leads to, e.g. \"In Progress\"."));
        return JiraTools.define("transition_issue", "Move a Jira issue through its workflow (e.g. to In Progress or "
                + "Done).", schema, JiraTools.Effect.WRITE, a -> {
                    String key = a.issueKey("issue_key");
                    String wanted = a.text("transition").strip();
                    ObjectNode available = IssueReadTools.transitions(client, key);
                    JsonNode chosen = pick(available.path("transitions"), wanted);
                    if (chosen == null) {
                        List<String> names = new ArrayList<>();
                        available.path("transitions").forEach(t -> names.add("\"" + t.path("name").asText() + "\" (id "
                                + t.path("id").asText() + ", to " + t.path("to").asText() + ")"));
                        throw new ToolError("issue " + key + " has no transition '" + wanted + "' now; it can take: "
                                + (names.isEmpty() ? "none" : String.join(", ", names)));
                    }
                    ObjectNode body = JiraCompact.object();
                    body.putObject("transition").put("id", chosen.path("id").asText());
                    client.post(issuePath(key) + "/transitions", body);
                    return JiraCompact.object().put("issue_key", key).put("transition", chosen.path("name").asText())
                            .put("status", chosen.path("to").asText()).toString();
                });
    }

    BuiltinTool createIssue() {
        ToolSchema schema = ToolSchema.object()
                .required("project_key", ToolSchema.string("Project key, e.g. PROJ."))
                .required("summary", ToolSchema.string("Summary (title) of the issue."))
                .optional("issue_type", ToolSchema.string("Issue type by name (default Task), e.g. Bug, Story."))
                .optional("description", ToolSchema.string("Description, plain text."))
                .optional("priority", ToolSchema.string("Priority by name, e.g. High."))
                .optional("labels", ToolSchema.strings("Labels (no spaces in a label)."));
        return JiraTools.define("create_issue", "Create a Jira issue in a project.", schema, JiraTools.Effect.WRITE, a -> {
            ObjectNode body = JiraCompact.object();
            ObjectNode fields = body.putObject("fields");
            fields.putObject("project").put("key", a.projectKey("project_key"));
            fields.put("summary", a.text("summary"));
            fields.putObject("issuetype").put("name", a.optionalText("issue_type").orElse("Task"));
            a.optionalText("description").ifPresent(d -> fields.set("description", Adf.fromText(d)));
            a.optionalText("priority").ifPresent(p -> fields.putObject("priority").put("name", p));
            List<String> labels = a.texts("labels");
            if (!labels.isEmpty()) {
                ArrayNode l = fields.putArray("labels");
                labels.forEach(x -> l.add(label(x)));
            }
            JsonNode created = client.post("/rest/api/3/issue", body);
            String key = created.path("key").asText("");
            return JiraCompact.object().put("key", key).put("id", created.path("id").asText(""))
                    .put("url", client.config().browseUrl(key)).toString();
        });
    }

    private static String label(String l) {
        if (l.chars().anyMatch(Character::isWhitespace)) {
            throw new ToolError("a Jira label cannot contain spaces: '" + l + "'");
        }
        return l;
    }

    /** By id, else transition name, else target status name (all ignoring case). */
    private static JsonNode pick(JsonNode transitions, String wanted) {
        String w = wanted.toLowerCase(Locale.ROOT);
        for (String field : new String[] {"id", "name", "to"}) {
            for (JsonNode t : transitions) {
                if (t.path(field).asText("").toLowerCase(Locale.ROOT).equals(w)) {
                    return t;
                }
            }
        }
        return null;
    }
}
