package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /diff/{spec}} (text/plain unified diff) and {@code GET /diffstat/{spec}} (paginated JSON), where
 * the pull-request redirects lead. A spec is {@code [ws/slug:]NEW%0DOLD}, {@code NEW..OLD} or one commit
 * (compared with its first parent); {@code topic=true} compares with the merge base, as a pull request does.
 * With {@code from_pullrequest_id}, a diff set by a test for that pull request wins. {@code path=} (repeatable)
 * keeps only those files.
 */
final class DiffRoutes {

    private final Store store;
    private final Links links;

    /** What a spec compares, and the resulting diff. */
    private record Comparison(RepoData repo, CommitData older, CommitData newer, String diff) {}

    DiffRoutes(Store store, Links links) {
        this.store = store;
        this.links = links;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get(RepositoryRoutes.REPO + "/diff/<spec>", this::diff);
        cfg.routes.get(RepositoryRoutes.REPO + "/diffstat/<spec>", this::diffstat);
    }

    private void diff(Context ctx) {
        Comparison c = store.locked(() -> compare(ctx));
        ctx.status(200).contentType("text/plain; charset=utf-8").result(DiffStat.only(c.diff(), ctx.queryParams("path")));
    }

    private void diffstat(Context ctx) {
        List<ObjectNode> values = store.locked(() -> {
            Comparison c = compare(ctx);
            return DiffStat.parse(DiffStat.only(c.diff(), ctx.queryParams("path"))).stream()
                    .map(f -> entry(c, f)).toList();
        });
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private Comparison compare(Context ctx) {
        RepoData repo = RepositoryRoutes.repo(store, ctx);
        String spec = ctx.pathParam("spec");
        int colon = spec.lastIndexOf(':');
        String range = colon >= 0 ? spec.substring(colon + 1) : spec;
        String[] parts = range.contains("\r") ? range.split("\r", 2) : range.split("\\.\\.", 2);
        CommitData newer = commit(repo, parts[0]);
        CommitData older = parts.length > 1 ? commit(repo, parts[1]) : firstParent(repo, newer);
        if (older != null && "true".equals(ctx.queryParam("topic"))) {
            CommitData base = repo.mergeBase(newer.hash(), older.hash());
            older = base != null ? base : older;
        }
        String prId = ctx.queryParam("from_pullrequest_id");
        if (prId != null) {
            PullRequestData pr = repo.pullRequest(prId);
            if (pr.explicitDiff != null) {
                return new Comparison(repo, older, newer, pr.explicitDiff);
            }
        }
        Map<String, String> before = older == null ? Map.of() : older.tree();
        return new Comparison(repo, older, newer, UnifiedDiff.between(before, newer.tree()));
    }

    private static CommitData commit(RepoData repo, String commitish) {
        CommitData c = repo.resolve(commitish);
        if (c == null) {
            throw ApiError.notFound("Commit not found: " + commitish);
        }
        return c;
    }

    private static CommitData firstParent(RepoData repo, CommitData c) {
        return c.parents().isEmpty() ? null : repo.commits.get(c.parents().getFirst());
    }

    private ObjectNode entry(Comparison c, DiffStat.FileDiff f) {
        ObjectNode n = Json.obj();
        n.put("type", "diffstat");
        n.put("lines_added", f.linesAdded());
        n.put("lines_removed", f.linesRemoved());
        n.put("status", f.status());
        n.set("old", side(c.repo(), c.older(), f.oldPath()));
        n.set("new", side(c.repo(), c.newer(), f.newPath()));
        return n;
    }

    private ObjectNode side(RepoData repo, CommitData commit, String path) {
        if (path == null) {
            return null;
        }
        ObjectNode n = Json.obj();
        n.put("path", path);
        n.put("type", "commit_file");
        n.put("escaped_path", path);
        if (commit != null) {
            n.set("links", Json.links("self", links.repo(repo) + "/src/" + commit.hash() + "/" + path));
        }
        return n;
    }
}
