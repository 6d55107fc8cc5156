package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.util.List;
import java.util.OptionalLong;

/**
 * Pull-request comments: {@code list_pull_request_comments}, {@code create_pull_request_comment} (general,
 * inline, or a reply), {@code update_pull_request_comment}, and {@code upsert_bot_comment}, which keeps one
 * comment per pull request and key up to date instead of adding a new one each run.
 */
final class CommentTools {

    /** How many comments {@code upsert_bot_comment} reads looking for its earlier one. */
    static final int UPSERT_SCAN_LIMIT = 2_000;

    private final BitbucketClient client;
    private final BotIdentity bot;

    CommentTools(BitbucketClient client, BotIdentity bot) {
        this.client = client;
        this.bot = bot;
    }

    List<BuiltinTool> tools() {
        return List.of(listComments(), createComment(), updateComment(), upsertBotComment());
    }

    private BuiltinTool listComments() {
        ToolSchema schema = Schema.pullRequest()
                .optional("include_deleted", ToolSchema.bool("Also list deleted comments (their text is gone).", false))
                .optional("limit", Schema.limit("comments", 100, 500));
        return Tools.define("list_pull_request_comments",
                "List a pull request's comments, oldest first: id, author, text (Markdown), inline anchor (path, "
                        + "line 'to' in the new version, 'from' in the old), parent_id for replies, timestamps.",
                schema, Tools.Effect.READ_ONLY, a -> {
                    int limit = a.integer("limit", 100, 1, 500);
                    boolean deleted = a.flag("include_deleted", false);
                    Listing l = client.list(PullRequestTools.pullRequest(a).then("comments"), Query.empty(),
                            PageLimit.items(limit));
                    List<JsonNode> shown = l.values().stream()
                            .filter(c -> deleted || !c.path("deleted").asBoolean(false))
                            .map(Compact::comment).toList();
                    ObjectNode out = Out.page(l, shown, limit, 500, "comments", null);
                    if (shown.size() < l.values().size()) {
                        out.put("deleted_hidden", l.values().size() - shown.size());
                    }
                    return Out.json(out);
                });
    }

    private BuiltinTool createComment() {
        ToolSchema schema = Schema.pullRequest()
                .required("content", ToolSchema.string("The comment, in Markdown."))
                .optional("path", ToolSchema.string("For an inline comment: the file path, e.g. \"src/app.py\"."))
                .optional("line", ToolSchema.id("For an inline comment: the line number in the new version of the "
                        + "file (a line the pull request adds or keeps)."))
                .optional("from_line", ToolSchema.id("For an inline comment on a removed line: its number in the old "
                        + "version of the file."))
                .optional("parent_id", ToolSchema.id("To reply in a thread: the id of the comment to answer. A reply "
                        + "takes its parent's place; leave out path and line."));
        return Tools.define("create_pull_request_comment",
                "Comment on a pull request: a general comment; an inline comment on a file line (path with line, or "
                        + "from_line for a removed line); or a reply to a comment (parent_id).",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.putObject("content").put("raw", a.text("content"));
                    anchor(a, body);
                    JsonNode created = client.post(PullRequestTools.pullRequest(a).then("comments"), body);
                    return Out.json(Compact.comment(created));
                });
    }

    /** {@code inline: {path, to, from}} and {@code parent: {id}} from the arguments, after checking they fit together. */
    private static void anchor(ToolArgs a, ObjectNode body) {
        String path = a.optionalText("path").orElse(null);
        OptionalLong line = a.optionalId("line");
        OptionalLong fromLine = a.optionalId("from_line");
        OptionalLong parent = a.optionalId("parent_id");
        if (parent.isPresent() && (path != null || line.isPresent() || fromLine.isPresent())) {
            throw new ToolError("a reply (parent_id) is shown where its parent is; leave out path, line and from_line");
        }
        if (path == null && (line.isPresent() || fromLine.isPresent())) {
            throw new ToolError("an inline comment needs path as well as line or from_line");
        }
        if (path != null && line.isEmpty() && fromLine.isEmpty()) {
            throw new ToolError("an inline comment needs line (new version) or from_line (old version) with path");
        }
        if (path != null) {
            ObjectNode inline = body.putObject("inline");
            inline.put("path", path);
            line.ifPresent(l -> inline.put("to", l));
            fromLine.ifPresent(l -> inline.put("from", l));
        }
        parent.ifPresent(p -> body.putObject("parent").put("id", p));
    }

    private BuiltinTool updateComment() {
        ToolSchema schema = Schema.pullRequest()
                .required("comment_id", ToolSchema.id("Id of the comment to change; only the bot's own comments can "
                        + "be changed."))
                .required("content", ToolSchema.string("The new text, in Markdown; it replaces the old text."));
        return Tools.define("update_pull_request_comment",
                "Replace the text of one of the bot's comments on a pull request. The old text is lost. To keep a "
                        + "status comment current, prefer upsert_bot_comment.",
                schema, Tools.Effect.DESTRUCTIVE, a -> {
                    JsonNode updated = client.put(
                            PullRequestTools.pullRequest(a).then("comments", Long.toString(a.id("comment_id"))),
                            content(a.text("content")));
                    return Out.json(Compact.comment(updated));
                });
    }

    private BuiltinTool upsertBotComment() {
        ToolSchema schema = Schema.pullRequest()
                .required("content", ToolSchema.string("The comment, in Markdown. It replaces the text of the bot's "
                        + "earlier comment with the same key."))
                .required("key", ToolSchema.string("What the comment is about, stable across runs: the rule name, e.g. "
                        + "\"pr-review-hints\". One comment is kept per pull request and key."));
        return Tools.define("upsert_bot_comment",
                "Post the bot's comment on a pull request, or update it if the bot already posted one with the "
                        + "same key (found by a hidden marker), so repeated runs keep one current comment instead "
                        + "of adding new ones. Only the bot's own comments are ever edited.",
                schema, Tools.Effect.WRITE, this::upsert);
    }

    private String upsert(ToolArgs a) {
        String key = a.text("key");
        String text = BotMarker.mark(a.text("content"), key);
        BitbucketAccount me = bot.get();
        ApiPath comments = PullRequestTools.pullRequest(a).then("comments");
        Listing all = client.list(comments, Query.empty(), PageLimit.items(UPSERT_SCAN_LIMIT));
        JsonNode mine = null;
        int othersWithMarker = 0;
        for (JsonNode c : all.values()) {
            if (c.path("deleted").asBoolean(false) || !BotMarker.carries(c.at("/content/raw").asText(""), key)) {
                continue;
            }
            if (me.isSameAs(c.path("user"))) {
                mine = c; // the newest one wins: comments come oldest first
            } else {
                othersWithMarker++;
            }
        }
        ObjectNode out = Out.object();
        JsonNode comment;
        if (mine == null) {
            comment = client.post(comments, content(text));
            out.put("action", "created");
        } else if (mine.at("/content/raw").asText("").equals(text)) {
            comment = mine;
            out.put("action", "unchanged");
        } else {
            comment = client.put(comments.then(mine.path("id").asText()), content(text));
            out.put("action", "updated");
        }
        out.put("key", key);
        out.set("comment", Compact.comment(comment));
        if (othersWithMarker > 0) {
            out.put("note", othersWithMarker + " comment(s) by other accounts carry this key's marker; they were "
                    + "left alone");
        }
        return Out.json(out);
    }

    private static ObjectNode content(String raw) {
        ObjectNode body = Out.object();
        body.putObject("content").put("raw", raw);
        return body;
    }
}
