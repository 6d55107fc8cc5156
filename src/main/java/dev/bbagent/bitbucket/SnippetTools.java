package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
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

    private static Schema snippetSchema() {
        return Schema.object().required("workspace", Schema.workspace())
                .required("encoded_id", Schema.string("The snippet's id as in its URL, e.g. \"kypj9\" in "
                        + "bitbucket.org/snippets/acme/kypj9."));
    }

    private static ApiPath snippet(Args a) {
        return ApiPath.of("snippets", a.text("workspace"), a.text("encoded_id"));
    }

    private BuiltinTool getSnippet() {
        return Tools.define("get_snippet",
                "Get a snippet: title, owner, privacy, file names, timestamps and web URL.",
                snippetSchema(), Tools.Effect.READ_ONLY, a -> Out.json(Compact.snippet(client.get(snippet(a)))));
    }

    private BuiltinTool createSnippetComment() {
        Schema schema = snippetSchema()
                .required("content", Schema.string("The comment, in Markdown."))
                .optional("parent_id", Schema.id("To reply: the id of the snippet comment to answer."));
        return Tools.define("create_snippet_comment", "Comment on a snippet, or reply to one of its comments.",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.putObject("content").put("raw", a.text("content"));
                    a.optionalId("parent_id").ifPresent(p -> body.putObject("parent").put("id", p));
                    return Out.json(Compact.comment(client.post(snippet(a).then("comments"), body)));
                });
    }
}
