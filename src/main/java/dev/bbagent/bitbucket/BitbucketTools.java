package dev.bbagent.bitbucket;

import dev.bbagent.mcp.BuiltinTool;
import java.util.ArrayList;
import java.util.List;

/**
 * bbagent's built-in Bitbucket Cloud toolset: the original seventeen (branches, pull requests, repositories,
 * snippets, workspaces, the current user, and the four issue tools that now meet Bitbucket's 410), the review
 * tools (diff with a byte cap and path filters, diffstat, comments, approve, request changes) and
 * {@code upsert_bot_comment}.
 *
 * <p>Arguments carry Bitbucket's own names ({@code workspace}, {@code repo_slug}, {@code pull_request_id},
 * {@code comment_id}, {@code issue_id}, {@code path}, {@code commit}, {@code content}), so a policy can check
 * them. Read tools are {@code readOnly}; tools that delete, or overwrite text irrecoverably
 * ({@code update_pull_request_comment}, {@code update_issue}), are {@code destructive}. Results are compact JSON
 * (a diff or a file is plain text). Lasting failures are error results; 429, 5xx and outages throw
 * {@link dev.bbagent.mcp.ToolTransientException} with a retry-after.
 */
public final class BitbucketTools {

    private BitbucketTools() {}

    /** Every tool, acting through this client (and the account its credential belongs to). */
    public static List<BuiltinTool> create(BitbucketClient client) {
        List<BuiltinTool> tools = new ArrayList<>();
        tools.addAll(new RepositoryTools(client).tools());
        tools.addAll(new PullRequestTools(client).tools());
        tools.addAll(new DiffTools(client).tools());
        tools.addAll(new CommentTools(client, new BotIdentity(client)).tools());
        tools.addAll(new SnippetTools(client).tools());
        tools.addAll(new IssueTools(client).tools());
        return List.copyOf(tools);
    }
}
