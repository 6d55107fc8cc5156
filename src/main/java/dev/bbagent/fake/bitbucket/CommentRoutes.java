package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/**
 * Pull-request comments: list (oldest first, deleted ones included as {@code deleted: true}), create
 * (general, inline with {@code inline{path,to,from}}, reply with {@code parent{id}}), get, edit, delete.
 */
final class CommentRoutes {

    private static final String COMMENTS = PullRequestRoutes.PR + "/comments";
    private static final String COMMENT = COMMENTS + "/{comment_id}";

    private final Store store;
    private final Links links;
    private final CommentOps ops;

    CommentRoutes(Store store, Links links, CommentOps ops) {
        this.store = store;
        this.links = links;
        this.ops = ops;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get(COMMENTS, this::list);
        cfg.routes.post(COMMENTS, this::create);
        cfg.routes.get(COMMENT, ctx -> Respond.json(ctx, 200, store.locked(() -> {
            PullRequestData pr = PullRequestRoutes.pr(store, ctx);
            return CommentJson.ofPullRequest(pr, pr.comment(commentId(ctx)), links);
        })));
        cfg.routes.put(COMMENT, this::edit);
        cfg.routes.delete(COMMENT, this::delete);
    }

    static long commentId(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("comment_id"));
        } catch (NumberFormatException e) {
            throw ApiError.notFound("Comment " + ctx.pathParam("comment_id") + " not found");
        }
    }

    private void list(Context ctx) {
        List<ObjectNode> values = store.locked(() -> {
            PullRequestData pr = PullRequestRoutes.pr(store, ctx);
            return pr.comments.values().stream().map(c -> CommentJson.ofPullRequest(pr, c, links)).toList();
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void create(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String raw = Bodies.text(body, "content", "raw");
        CommentView.Inline inline = null;
        if (Json.at(body, "inline") != null) {
            String path = Bodies.text(body, "inline", "path");
            if (path == null || path.isBlank()) {
                throw ApiError.badField("inline.path", "This field is required.");
            }
            inline = new CommentView.Inline(path, Bodies.integer(body, "inline", "from"), Bodies.integer(body, "inline", "to"));
        }
        Long parent = Bodies.number(body, "parent", "id");
        CommentView.Inline anchor = inline;
        ObjectNode created = store.locked(() -> {
            PullRequestData pr = PullRequestRoutes.pr(store, ctx);
            return CommentJson.ofPullRequest(pr, ops.add(pr, Caller.of(ctx), raw, anchor, parent, true), links);
        });
        ctx.header("Location", created.at("/links/self/href").asText());
        Respond.json(ctx, 201, created);
    }

    private void edit(Context ctx) {
        String raw = Bodies.commentText(ctx);
        Respond.json(ctx, 200, store.locked(() -> {
            PullRequestData pr = PullRequestRoutes.pr(store, ctx);
            return CommentJson.ofPullRequest(pr, ops.edit(pr, commentId(ctx), Caller.of(ctx), raw, true), links);
        }));
    }

    private void delete(Context ctx) {
        store.locked(() -> ops.delete(PullRequestRoutes.pr(store, ctx), commentId(ctx), Caller.of(ctx), true));
        ctx.status(204);
    }
}
