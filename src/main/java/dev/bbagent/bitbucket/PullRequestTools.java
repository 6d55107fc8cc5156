package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.util.List;

/**
 * Pull requests: {@code list_pull_requests}, {@code get_pull_request}, {@code create_pull_request},
 * {@code approve_pull_request}, {@code request_changes}.
 */
final class PullRequestTools {

    static final List<String> STATES = List.of("OPEN", "MERGED", "DECLINED", "SUPERSEDED");

    private final BitbucketClient client;

    PullRequestTools(BitbucketClient client) {
        this.client = client;
    }

    List<BuiltinTool> tools() {
        return List.of(listPullRequests(), getPullRequest(), createPullRequest(), approve(), requestChanges());
    }

    /** {@code /repositories/{workspace}/{repo_slug}/pullrequests/{pull_request_id}} from the common arguments. */
    static ApiPath pullRequest(ToolArgs a) {
        return ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"), "pullrequests",
                Long.toString(a.id("pull_request_id")));
    }

    private BuiltinTool listPullRequests() {
        ToolSchema schema = Schema.repository()
                .optional("state", ToolSchema.strings("States to list (default [\"OPEN\"]).", STATES))
                .optional("q", ToolSchema.string("Bitbucket query (BBQL) filter, e.g. source.branch.name = \"feature/x\" "
                        + "or author.nickname = \"alice\" or title ~ \"fix\"."))
                .optional("sort", ToolSchema.string("Field to sort by, '-' first for descending, e.g. -updated_on."))
                .optional("limit", Schema.limit("pull requests", 25, 100));
        return Tools.define("list_pull_requests",
                "List pull requests of a repository (open ones unless state says otherwise): id, title, state, "
                        + "author, source and destination branches, comment count, last update, web URL.",
                schema, Tools.Effect.READ_ONLY, a -> {
                    int limit = a.integer("limit", 25, 1, 100);
                    List<String> states = a.texts("state").stream().map(s -> choose(s, STATES)).toList();
                    Query query = Query.of("state", states.isEmpty() ? null : states)
                            .and("q", a.optionalText("q").orElse(null))
                            .and("sort", a.optionalText("sort").orElse(null));
                    Listing l = client.list(ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"),
                            "pullrequests"), query, PageLimit.items(limit));
                    return Out.listing(l, Compact::pullRequestSummary, limit, 100, "pull requests",
                            "narrow the list with q or state");
                });
    }

    private BuiltinTool getPullRequest() {
        return Tools.define("get_pull_request",
                "Get one pull request: title, description, state, draft, author, source and destination branches "
                        + "with their head commits, reviewers and who approved or requested changes, comment count, "
                        + "web URL.",
                Schema.pullRequest(), Tools.Effect.READ_ONLY,
                a -> Out.json(Compact.pullRequest(client.get(pullRequest(a)))));
    }

    private BuiltinTool createPullRequest() {
        ToolSchema schema = Schema.repository()
                .required("title", ToolSchema.string("Title of the pull request."))
                .required("source_branch", ToolSchema.string("Branch with the changes, e.g. \"feature/search\"."))
                .optional("destination_branch", ToolSchema.string("Branch to merge into; defaults to the repository's "
                        + "main branch."))
                .optional("description", ToolSchema.string("Description, in Markdown."))
                .optional("reviewers", ToolSchema.strings("Reviewers, by account_id or by uuid in braces (see "
                        + "list_workspace_members). The author cannot review."))
                .optional("close_source_branch", ToolSchema.bool("Delete the source branch when merged.", false))
                .optional("draft", ToolSchema.bool("Open as a draft.", false));
        return Tools.define("create_pull_request",
                "Open a pull request from a branch of the repository to another (by default its main branch).",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.put("title", a.text("title"));
                    body.putObject("source").putObject("branch").put("name", a.text("source_branch"));
                    a.optionalText("destination_branch")
                            .ifPresent(d -> body.putObject("destination").putObject("branch").put("name", d));
                    a.optionalText("description").ifPresent(d -> body.put("description", d));
                    List<String> reviewers = a.texts("reviewers");
                    if (!reviewers.isEmpty()) {
                        ArrayNode list = body.putArray("reviewers");
                        reviewers.forEach(r -> list.addObject().put(r.startsWith("{") ? "uuid" : "account_id", r));
                    }
                    a.optionalFlag("close_source_branch").ifPresent(c -> body.put("close_source_branch", c));
                    a.optionalFlag("draft").ifPresent(d -> body.put("draft", d));
                    JsonNode created = client.post(ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"),
                            "pullrequests"), body);
                    return Out.json(Compact.pullRequest(created));
                });
    }

    private BuiltinTool approve() {
        return Tools.define("approve_pull_request",
                "Approve a pull request as the bot (replaces a change request by the bot). Approve only when the "
                        + "change is ready to merge.",
                Schema.pullRequest(), Tools.Effect.WRITE, a -> review(a, "approve"));
    }

    private BuiltinTool requestChanges() {
        return Tools.define("request_changes",
                "Request changes on a pull request as the bot (replaces an approval by the bot). Explain what to "
                        + "change in a comment too.",
                Schema.pullRequest(), Tools.Effect.WRITE, a -> review(a, "request-changes"));
    }

    private String review(ToolArgs a, String action) {
        JsonNode participant = client.post(pullRequest(a).then(action), Out.object());
        ObjectNode out = Out.object();
        out.put("pull_request_id", a.id("pull_request_id"));
        out.set("participant", Compact.participant(participant));
        return Out.json(out);
    }

    private static String choose(String value, List<String> allowed) {
        return allowed.stream().filter(s -> s.equalsIgnoreCase(value)).findFirst()
                .orElseThrow(() -> new ToolError("state must be one of " + allowed + ", not '" + value + "'"));
    }
}
