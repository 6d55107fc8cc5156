package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.util.List;

/**
 * The issue tools of the original toolset: {@code create_issue}, {@code create_issue_comment},
 * {@code update_issue}, {@code delete_issue}. Bitbucket Cloud removed Issues and their API on 2026-08-20, so
 * against Bitbucket Cloud they answer an error result saying so ({@value ApiErrors#ISSUES_REMOVED}). They still
 * call the API rather than refusing up front, so a server that kept the endpoints keeps working.
 */
final class IssueTools {

    static final List<String> KINDS = List.of("bug", "enhancement", "proposal", "task");
    static final List<String> PRIORITIES = List.of("trivial", "minor", "major", "critical", "blocker");
    static final List<String> STATES = List.of("new", "open", "resolved", "on hold", "invalid", "duplicate", "wontfix",
            "closed");
    private static final String GONE = " Bitbucket Cloud removed Issues on 2026-08-20: this fails there; track "
            + "issues in Jira.";

    private final BitbucketClient client;

    IssueTools(BitbucketClient client) {
        this.client = client;
    }

    List<BuiltinTool> tools() {
        return List.of(createIssue(), createIssueComment(), updateIssue(), deleteIssue());
    }

    private static ApiPath issues(ToolArgs a) {
        return ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"), "issues");
    }

    private static ApiPath issue(ToolArgs a) {
        return issues(a).then(Long.toString(a.id("issue_id")));
    }

    private static ToolSchema issueSchema() {
        return Schema.repository().required("issue_id", ToolSchema.id("Issue id (the number in #7)."));
    }

    private BuiltinTool createIssue() {
        ToolSchema schema = Schema.repository()
                .required("title", ToolSchema.string("Title of the issue."))
                .optional("content", ToolSchema.string("Description, in Markdown."))
                .optional("kind", ToolSchema.string("Kind of issue (default bug).", KINDS))
                .optional("priority", ToolSchema.string("Priority (default major).", PRIORITIES));
        return Tools.define("create_issue", "Open an issue in a repository's issue tracker." + GONE,
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.put("title", a.text("title"));
                    a.optionalText("content").ifPresent(c -> body.putObject("content").put("raw", c));
                    a.choice("kind", KINDS).ifPresent(k -> body.put("kind", k));
                    a.choice("priority", PRIORITIES).ifPresent(p -> body.put("priority", p));
                    return Out.json(Compact.issue(client.post(issues(a), body)));
                });
    }

    private BuiltinTool createIssueComment() {
        ToolSchema schema = issueSchema().required("content", ToolSchema.string("The comment, in Markdown."));
        return Tools.define("create_issue_comment", "Comment on an issue." + GONE, schema, Tools.Effect.WRITE, a -> {
            ObjectNode body = Out.object();
            body.putObject("content").put("raw", a.text("content"));
            return Out.json(Compact.comment(client.post(issue(a).then("comments"), body)));
        });
    }

    private BuiltinTool updateIssue() {
        ToolSchema schema = issueSchema()
                .optional("title", ToolSchema.string("New title."))
                .optional("content", ToolSchema.string("New description, in Markdown; replaces the old one."))
                .optional("state", ToolSchema.string("New state.", STATES))
                .optional("kind", ToolSchema.string("New kind.", KINDS))
                .optional("priority", ToolSchema.string("New priority.", PRIORITIES));
        return Tools.define("update_issue",
                "Change an issue's title, description, state, kind or priority; what is given replaces the old "
                        + "value." + GONE,
                schema, Tools.Effect.DESTRUCTIVE, a -> {
                    ObjectNode body = Out.object();
                    a.optionalText("title").ifPresent(t -> body.put("title", t));
                    a.optionalText("content").ifPresent(c -> body.putObject("content").put("raw", c));
                    a.choice("state", STATES).ifPresent(s -> body.put("state", s));
                    a.choice("kind", KINDS).ifPresent(k -> body.put("kind", k));
                    a.choice("priority", PRIORITIES).ifPresent(p -> body.put("priority", p));
                    if (body.isEmpty()) {
                        throw new ToolError("nothing to change: give title, content, state, kind or priority");
                    }
                    JsonNode updated = client.put(issue(a), body);
                    return Out.json(Compact.issue(updated));
                });
    }

    private BuiltinTool deleteIssue() {
        return Tools.define("delete_issue", "Delete an issue and its comments. Irreversible." + GONE, issueSchema(),
                Tools.Effect.DESTRUCTIVE, a -> {
                    client.delete(issue(a), Query.empty());
                    return Out.json(Out.object().put("deleted_issue", a.id("issue_id")));
                });
    }
}
