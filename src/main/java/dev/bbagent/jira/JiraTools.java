package dev.bbagent.jira;

import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.mcp.ToolTransientException;
import dev.bbagent.tools.ToolCalls;
import dev.bbagent.tools.ToolSchema;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * bbagent's built-in Jira Cloud toolset (REST v3): {@code get_issue}, {@code search_issues},
 * {@code list_transitions} (read-only), {@code add_issue_comment}, {@code update_issue}, {@code transition_issue}
 * and {@code create_issue}. None is destructive: Jira keeps every change in the issue's history.
 *
 * <p>Tools on one issue take {@code issue_key} (PROJ-123) and {@code create_issue} takes {@code project_key}, the
 * names the agent's scope guard checks against the triggering event. Text goes in as plain text (turned into
 * Atlassian Document Format) and comes out flattened. Lasting failures are error results the model reads; 429, 5xx
 * and outages throw {@link ToolTransientException} with a retry-after, so the job is retried later.
 */
public final class JiraTools {

    /** What a tool does, which sets its MCP annotations. */
    enum Effect { READ_ONLY, WRITE }

    @FunctionalInterface
    interface Body {
        String run(JiraArgs args);
    }

    private JiraTools() {}

    /** Every tool, acting through this client. */
    public static List<BuiltinTool> create(JiraClient client) {
        IssueReadTools read = new IssueReadTools(client);
        IssueWriteTools write = new IssueWriteTools(client);
        return List.of(read.getIssue(), read.searchIssues(), read.listTransitions(), write.addComment(),
                write.updateIssue(), write.transitionIssue(), write.createIssue());
    }

    /** The schema of tools on one issue: {@code issue_key} first. */
    static ToolSchema issueSchema() {
        return ToolSchema.object().required("issue_key", ToolSchema.string("Issue key, e.g. PROJ-123."));
    }

    static BuiltinTool define(String name, String description, ToolSchema schema, Effect effect, Body body) {
        ToolSpec spec = new ToolSpec(name, description, schema.toMap(), effect == Effect.READ_ONLY, false);
        Set<String> allowed = schema.names();
        return new BuiltinTool(spec, arguments -> call(arguments, allowed, body));
    }

    private static ToolResult call(Map<String, Object> arguments, Set<String> allowed, Body body) {
        return ToolCalls.result(() -> body.run(new JiraArgs(arguments == null ? Map.of() : arguments, allowed)));
    }
}
