package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;

/** {@code GET /repositories/{ws}} and {@code GET|POST|DELETE /repositories/{ws}/{slug}}. */
final class RepositoryRoutes {

    static final String REPO = "/2.0/repositories/{workspace}/{repo_slug}";

    private final Store store;
    private final Links links;

    RepositoryRoutes(Store store, Links links) {
        this.store = store;
        this.links = links;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get("/2.0/repositories/{workspace}", this::list);
        cfg.routes.get(REPO, this::get);
        cfg.routes.post(REPO, this::create);
        cfg.routes.delete(REPO, this::delete);
    }

    /** The repository a {@code /repositories/{workspace}/{repo_slug}/...} request names; 404 when unknown. */
    static RepoData repo(Store store, Context ctx) {
        return store.repo(ctx.pathParam("workspace"), ctx.pathParam("repo_slug"));
    }

    private void list(Context ctx) {
        List<ObjectNode> values = store.locked(() -> store.workspace(ctx.pathParam("workspace")).repos.values().stream()
                .map(r -> RepositoryJson.full(r, links)).toList());
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void get(Context ctx) {
        Respond.json(ctx, 200, store.locked(() -> RepositoryJson.full(repo(store, ctx), links)));
    }

    private void create(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String slug = ctx.pathParam("repo_slug");
        if (!RepoData.validSlug(slug)) {
            throw ApiError.badRequest("Invalid slug. Slugs must be lowercase letters, digits, '.', '_' and '-'.");
        }
        String scm = Bodies.text(body, "scm");
        if (scm != null && !scm.equals("git")) {
            throw ApiError.badField("scm", "Only git repositories can be created.");
        }
        ObjectNode created = store.locked(() -> {
            WorkspaceData ws = store.workspace(ctx.pathParam("workspace"));
            if (ws.repos.containsKey(slug)) {
                throw ApiError.badRequest("Repository with this Slug and Owner already exists.");
            }
            RepoData repo = new RepoData(ws, slug, ws.project(Bodies.text(body, "project", "key")), store.now());
            String name = Bodies.text(body, "name");
            repo.name = name != null ? name : slug;
            repo.description = firstNonNull(Bodies.text(body, "description"), "");
            repo.isPrivate = firstNonNull(Bodies.bool(body, "is_private"), Boolean.TRUE);
            ws.repos.put(slug, repo);
            return RepositoryJson.full(repo, links);
        });
        Respond.json(ctx, 200, created);
    }

    private void delete(Context ctx) {
        store.locked(() -> {
            RepoData repo = repo(store, ctx);
            repo.workspace.repos.remove(repo.slug);
        });
        ctx.status(204);
    }

    private static <T> T firstNonNull(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
