package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolSchema;
import java.util.List;

/** Snippets: {@code get_snippet} and {@code create_snippet_comment}. */
final class SnippetTools {

    private final BitbucketClient client;

    SnippetTools(BitbucketClient client) {
        this.client = client;
    }

    List<BuiltinTool> tools() {
        return List.of(getSnippet(), createSnippetComment());
    }

    private static ToolSchema snippetSchema() {
        return ToolSchema.object().required("workspace", Schema.workspace())
                .required("encoded_id", ToolSchema.string("The snippet's id as in its URL, e.g. \"kypj9\" in "
                        + "bitbucket.org/snippets/acme/kypj9."));
    }

    private static ApiPath snippet(ToolArgs a) {
        return ApiPath.of("snippets", a.text("workspace"), a.text("encoded_id"));
    }

    private BuiltinTool getSnippet() {
        return Tools.define("get_snippet",
                "Get a snippet: title, owner, privacy, file names, timestamps and web URL.",
                snippetSchema(), Tools.Effect.READ_ONLY, a -> Out.json(Compact.snippet(client.get(snippet(a)))));
    }

    private BuiltinTool createSnippetComment() {
        ToolSchema schema = snippetSchema()
                .required("content", ToolSchema.string("The comment, in Markdown."))
                .optional("parent_id", ToolSchema.id("To reply: the id of the snippet comment to answer."));
        return Tools.define("create_snippet_comment", "Comment on a snippet, or reply to one of its comments.",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.putObject("content").put("raw", a.text("content"));
                    a.optionalId("parent_id").ifPresent(p -> body.putObject("parent").put("id", p));
                    return Out.json(Compact.comment(client.post(snippet(a).then("comments"), body)));
                });
    }
}
