package dev.bbagent.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolSchema;
import java.util.List;
import java.util.Map;

/** {@code get_issue}, {@code search_issues} and {@code list_transitions}: read-only. */
final class IssueReadTools {

    /** The fields bbagent reads: enough to understand an issue, nothing bulky. */
    static final List<String> FIELDS = List.of("summary", "description", "status", "issuetype", "priority", "reporter",
            "assignee", "labels", "project", "created", "updated", "comment");
    static final List<String> SEARCH_FIELDS = List.of("summary", "status", "issuetype", "priority", "assignee",
            "labels", "project", "updated");

    private final JiraClient client;

    IssueReadTools(JiraClient client) {
        this.client = client;
    }

    static String issuePath(String key) {
        return "/rest/api/3/issue/" + JiraClient.segment(key);
    }

    BuiltinTool getIssue() {
        ToolSchema schema = JiraTools.issueSchema()
                .optional("comments", ToolSchema.integer("How many of the latest comments to include (default 10).",
                        0, 50, 10));
        return JiraTools.define("get_issue", "Read a Jira issue: summary, status, type, priority, reporter, assignee, "
                + "labels, description as text, and its latest comments.", schema, JiraTools.Effect.READ_ONLY, a -> {
                    String key = a.issueKey("issue_key");
                    JsonNode issue = client.get(issuePath(key), Map.of("fields", String.join(",", FIELDS)));
                    return JiraCompact.issue(issue, client.config(), a.integer("comments", 10, 0, 50)).toString();
                });
    }

    BuiltinTool searchIssues() {
        ToolSchema schema = ToolSchema.object()
                .required("jql", ToolSchema.string("A JQL query that restricts the search, e.g. 'project = PROJ AND "
                        + "status = \"To Do\" ORDER BY created DESC'. Unbounded queries (only ORDER BY) are refused."))
                .optional("limit", ToolSchema.integer("Most issues to return (default 20).", 1, 100, 20))
                .optional("next_page_token", ToolSchema.string("The next_page_token of an earlier result, for the "
                        + "next page."));
        return JiraTools.define("search_issues", "Find Jira issues with JQL; returns key, summary, status, type, "
                + "priority, assignee and labels of each.", schema, JiraTools.Effect.READ_ONLY, a -> {
                    ObjectNode body = JiraCompact.object();
                    body.put("jql", a.text("jql"));
                    body.put("maxResults", a.integer("limit", 20, 1, 100));
                    ArrayNode fields = body.putArray("fields");
                    SEARCH_FIELDS.forEach(fields::add);
                    a.optionalText("next_page_token").ifPresent(t -> body.put("nextPageToken", t));
                    JsonNode found = client.post("/rest/api/3/search/jql", body);
                    ObjectNode out = JiraCompact.object();
                    ArrayNode issues = out.putArray("issues");
                    found.path("issues").forEach(i -> issues.add(JiraCompact.summary(i, client.config())));
                    out.put("showing", issues.size());
                    String next = found.path("nextPageToken").asText("");
                    if (!next.isEmpty() && !found.path("isLast").asBoolean(false)) {
                        out.put("next_page_token", next);
                        out.put("more", "there are more issues; pass next_page_token to see the next page");
                    }
                    return out.toString();
                });
    }

    BuiltinTool listTransitions() {
        return JiraTools.define("list_transitions", "List the workflow transitions an issue can take now, each with "
                + "its id, name and the status it leads to.", JiraTools.issueSchema(), JiraTools.Effect.READ_ONLY, a -> {
                    String key = a.issueKey("issue_key");
                    return transitions(client, key).toString();
                });
    }

    /** {@code {"issue_key":..., "transitions":[{"id","name","to"}]}}. */
    static ObjectNode transitions(JiraClient client, String key) {
        JsonNode answer = client.get(issuePath(key) + "/transitions", Map.of());
        ObjectNode out = JiraCompact.object().put("issue_key", key);
        ArrayNode list = out.putArray("transitions");
        answer.path("transitions").forEach(t -> list.addObject()
                .put("id", t.path("id").asText(""))
                .put("name", t.path("name").asText(""))
                .put("to", t.path("to").path("name").asText("")));
        return out;
    }
}
