package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /snippets/{ws}/{id}} and its comments: list, create (optionally a reply), get. */
final class SnippetRoutes {

    private static final String SNIPPET = "/2.0/snippets/{workspace}/{encoded_id}";

    private final Store store;
    private final Links links;
    private final CommentOps ops;

    SnippetRoutes(Store store, Links links, CommentOps ops) {
        this.store = store;
        this.links = links;
        this.ops = ops;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get(SNIPPET, ctx -> Respond.json(ctx, 200, store.locked(() -> SnippetJson.of(snippet(ctx), links))));
        cfg.routes.get(SNIPPET + "/comments", this::list);
        cfg.routes.post(SNIPPET + "/comments", this::create);
        cfg.routes.get(SNIPPET + "/comments/{comment_id}", this::get);
    }

    private SnippetData snippet(Context ctx) {
        WorkspaceData ws = store.workspace(ctx.pathParam("workspace"));
        SnippetData s = ws.snippets.get(ctx.pathParam("encoded_id"));
        if (s == null) {
            throw ApiError.notFound("Snippet " + ctx.pathParam("encoded_id") + " not found in " + ws.slug);
        }
        return s;
    }

    private void list(Context ctx) {
        List<ObjectNode> values = store.locked(() -> {
            SnippetData s = snippet(ctx);
            return s.comments.values().stream().map(c -> CommentJson.ofSnippet(s, c, links)).toList();
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void create(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String raw = Bodies.text(body, "content", "raw");
        Long parent = Bodies.number(body, "parent", "id");
        ObjectNode created = store.locked(() -> {
            SnippetData s = snippet(ctx);
            return CommentJson.ofSnippet(s, ops.addToSnippet(s, Caller.of(ctx), raw, parent), links);
        });
        ctx.header("Location", created.at("/links/self/href").asText());
        Respond.json(ctx, 201, created);
    }

    private void get(Context ctx) {
        Respond.json(ctx, 200, store.locked(() -> {
            SnippetData s = snippet(ctx);
            CommentData c = s.comments.get(CommentRoutes.commentId(ctx));
            if (c == null) {
                throw ApiError.notFound("Comment " + ctx.pathParam("comment_id") + " not found");
            }
            return CommentJson.ofSnippet(s, c, links);
        }));
    }
}
