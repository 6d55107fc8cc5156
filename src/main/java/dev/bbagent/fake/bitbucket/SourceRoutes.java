package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Branches ({@code GET|POST /refs/branches}, {@code GET /refs/branches/{name}}) and source
 * ({@code GET /src/{commit}/{path}}: raw file bytes, a directory listing, or {@code ?format=meta} JSON).
 */
final class SourceRoutes {

    private static final String REPO = RepositoryRoutes.REPO;

    private final Store store;
    private final Links links;

    SourceRoutes(Store store, Links links) {
        this.store = store;
        this.links = links;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get(REPO + "/refs/branches", this::branches);
        cfg.routes.post(REPO + "/refs/branches", this::createBranch);
        cfg.routes.get(REPO + "/refs/branches/<name>", this::branch);
        cfg.routes.get(REPO + "/src/{commit}", ctx -> source(ctx, ""));
        cfg.routes.get(REPO + "/src/{commit}/<path>", ctx -> source(ctx, ctx.pathParam("path")));
    }

    private void branches(Context ctx) {
        List<ObjectNode> values = store.locked(() -> {
            RepoData repo = RepositoryRoutes.repo(store, ctx);
            return repo.branches.keySet().stream().sorted()
                    .map(name -> SourceJson.branch(repo, name, repo.head(name), links)).toList();
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void branch(Context ctx) {
        Respond.json(ctx, 200, store.locked(() -> {
            RepoData repo = RepositoryRoutes.repo(store, ctx);
            String name = ctx.pathParam("name");
            CommitData head = repo.head(name);
            if (head == null) {
                throw ApiError.notFound("Branch \"" + name + "\" not found in " + repo.fullName());
            }
            return SourceJson.branch(repo, name, head, links);
        }));
    }

    private void createBranch(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String name = Bodies.text(body, "name");
        String target = Bodies.text(body, "target", "hash");
        if (name == null || name.isBlank()) {
            throw ApiError.badField("name", "This field is required.");
        }
        if (name.startsWith("refs/") || name.contains("..") || name.matches(".*[\\s~^:?*\\[\\\\].*") || name.endsWith("/")) {
            throw ApiError.badField("name", "\"" + name + "\" is not a valid branch name.");
        }
        if (target == null || target.isBlank()) {
            throw ApiError.badField("target", "This field is required.");
        }
        ObjectNode created = store.locked(() -> {
            RepoData repo = RepositoryRoutes.repo(store, ctx);
            if (repo.branches.containsKey(name)) {
                throw ApiError.badRequest("Branch \"" + name + "\" already exists.");
            }
            CommitData commit = repo.resolve(target);
            if (commit == null) {
                throw ApiError.badField("target", "Commit \"" + target + "\" not found in " + repo.fullName());
            }
            repo.branches.put(name, commit.hash());
            return SourceJson.branch(repo, name, commit, links);
        });
        ctx.header("Location", created.at("/links/self/href").asText());
        Respond.json(ctx, 201, created);
    }

    /** What {@code /src} answers: a file's bytes, JSON metadata, or a directory listing. */
    private sealed interface Answer {}

    private record Raw(String content) implements Answer {}

    private record Meta(ObjectNode node) implements Answer {}

    private record Listing(List<ObjectNode> entries) implements Answer {}

    private void source(Context ctx, String rawPath) {
        String path = rawPath.endsWith("/") ? rawPath.substring(0, rawPath.length() - 1) : rawPath;
        boolean meta = "meta".equals(ctx.queryParam("format"));
        Answer answer = store.locked(() -> {
            RepoData repo = RepositoryRoutes.repo(store, ctx);
            CommitData commit = repo.resolve(ctx.pathParam("commit"));
            if (commit == null) {
                throw ApiError.notFound("Commit not found: " + ctx.pathParam("commit"));
            }
            if (commit.tree().containsKey(path)) {
                return meta ? new Meta(SourceJson.file(repo, commit, path, links)) : new Raw(commit.tree().get(path));
            }
            List<ObjectNode> entries = listing(repo, commit, path);
            if (entries.isEmpty() && !path.isEmpty()) {
                throw ApiError.notFound("No such file or directory: " + path);
            }
            return meta ? new Meta(SourceJson.directory(repo, commit, path, links)) : new Listing(entries);
        });
        switch (answer) {
            case Raw raw -> ctx.status(200).contentType(MediaTypes.forPath(path))
                    .result(raw.content().getBytes(StandardCharsets.UTF_8));
            case Meta m -> Respond.json(ctx, 200, m.node());
            case Listing l -> Respond.json(ctx, 200, Page.of(ctx, links, l.entries()));
        }
    }

    /** The direct children of a directory ("" is the root): directories first, then files, each sorted. */
    private List<ObjectNode> listing(RepoData repo, CommitData commit, String dir) {
        String prefix = dir.isEmpty() ? "" : dir + "/";
        TreeSet<String> dirs = new TreeSet<>();
        TreeSet<String> files = new TreeSet<>();
        for (String p : commit.tree().keySet()) {
            if (p.startsWith(prefix)) {
                int slash = p.indexOf('/', prefix.length());
                if (slash < 0) {
                    files.add(p);
                } else {
                    dirs.add(p.substring(0, slash));
                }
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        dirs.forEach(d -> out.add(SourceJson.directory(repo, commit, d, links)));
        files.forEach(f -> out.add(SourceJson.file(repo, commit, f, links)));
        return out;
    }
}
