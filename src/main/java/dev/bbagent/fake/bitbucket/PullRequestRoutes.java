package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Pull requests: list (filtered by repeated {@code state=}, OPEN by default, newest first), create, get,
 * update, merge, decline, approve / request changes (and their withdrawal), and the {@code diff} and
 * {@code diffstat} redirects. Changes made here emit their webhook events.
 */
final class PullRequestRoutes {

    static final String PRS = RepositoryRoutes.REPO + "/pullrequests";
    static final String PR = PRS + "/{pull_request_id}";

    private final Store store;
    private final Links links;
    private final PullRequestOps ops;

    PullRequestRoutes(Store store, Links links, PullRequestOps ops) {
        this.store = store;
        this.links = links;
        this.ops = ops;
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get(PRS, this::list);
        cfg.routes.post(PRS, this::create);
        cfg.routes.get(PR, ctx -> Respond.json(ctx, 200, store.locked(() -> PullRequestJson.of(pr(store, ctx), links))));
        cfg.routes.put(PR, this::update);
        cfg.routes.post(PR + "/merge", this::merge);
        cfg.routes.post(PR + "/decline", ctx -> change(ctx, pr -> ops.decline(pr, Caller.of(ctx), true)));
        cfg.routes.post(PR + "/approve", ctx -> review(ctx, ParticipantData.APPROVED));
        cfg.routes.delete(PR + "/approve", ctx -> withdraw(ctx, ParticipantData.APPROVED));
        cfg.routes.post(PR + "/request-changes", ctx -> review(ctx, ParticipantData.CHANGES_REQUESTED));
        cfg.routes.delete(PR + "/request-changes", ctx -> withdraw(ctx, ParticipantData.CHANGES_REQUESTED));
        cfg.routes.get(PR + "/diff", ctx -> redirect(ctx, "diff"));
        cfg.routes.get(PR + "/diffstat", ctx -> redirect(ctx, "diffstat"));
    }

    /** The pull request a {@code .../pullrequests/{pull_request_id}/...} request names; 404 when unknown. */
    static PullRequestData pr(Store store, Context ctx) {
        return RepositoryRoutes.repo(store, ctx).pullRequest(ctx.pathParam("pull_request_id"));
    }

    private void list(Context ctx) {
        Set<String> states = ctx.queryParams("state").stream().map(s -> s.toUpperCase(Locale.ROOT))
                .collect(Collectors.toSet());
        Set<String> wanted = states.isEmpty() ? Set.of(PullRequestData.OPEN) : states;
        List<ObjectNode> values = store.locked(() -> RepositoryRoutes.repo(store, ctx).pullRequests.values().stream()
                .filter(pr -> wanted.contains(pr.state))
                .sorted(Comparator.comparingInt((PullRequestData pr) -> pr.id).reversed())
                .map(pr -> PullRequestJson.of(pr, links)).toList());
        Respond.json(ctx, 200, Page.of(ctx, links, values));
    }

    private void create(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String sourceRepo = Bodies.text(body, "source", "repository", "full_name");
        ObjectNode created = store.locked(() -> {
            RepoData repo = RepositoryRoutes.repo(store, ctx);
            if (sourceRepo != null && !sourceRepo.equals(repo.fullName())) {
                throw ApiError.badField("source", "Pull requests from forks are not supported by this fake.");
            }
            NewPullRequest spec = new NewPullRequest(Bodies.text(body, "title"), Bodies.text(body, "description"),
                    Bodies.text(body, "source", "branch", "name"), Bodies.text(body, "destination", "branch", "name"),
                    Boolean.TRUE.equals(Bodies.bool(body, "draft")), reviewers(body),
                    Boolean.TRUE.equals(Bodies.bool(body, "close_source_branch")));
            return PullRequestJson.of(ops.open(repo, Caller.of(ctx), spec, true), links);
        });
        ctx.header("Location", created.at("/links/self/href").asText());
        Respond.json(ctx, 201, created);
    }

    private void update(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        PullRequestOps.Update update = new PullRequestOps.Update(Bodies.text(body, "title"),
                Bodies.text(body, "description"), Bodies.bool(body, "draft"),
                Bodies.text(body, "destination", "branch", "name"), body.has("reviewers") ? reviewers(body) : null);
        change(ctx, pr -> ops.update(pr, Caller.of(ctx), update, true));
    }

    private void merge(Context ctx) {
        JsonNode body = Bodies.object(ctx);
        String message = Bodies.text(body, "message");
        Boolean close = Bodies.bool(body, "close_source_branch");
        change(ctx, pr -> ops.merge(pr, Caller.of(ctx), message, close, true));
    }

    private void change(Context ctx, java.util.function.Consumer<PullRequestData> action) {
        Respond.json(ctx, 200, store.locked(() -> {
            PullRequestData pr = pr(store, ctx);
            action.accept(pr);
            return PullRequestJson.of(pr, links);
        }));
    }

    private void review(Context ctx, String state) {
        Respond.json(ctx, 200, store.locked(() ->
                PullRequestJson.participant(ops.review(pr(store, ctx), Caller.of(ctx), state, true), links)));
    }

    private void withdraw(Context ctx, String state) {
        store.locked(() -> ops.withdraw(pr(store, ctx), Caller.of(ctx), state, true));
        ctx.status(204);
    }

    /** As on Bitbucket: a 302 to {@code /repositories/{ws}/{slug}/diff/{ws}/{slug}:{src}%0D{dst}?from_pullrequest_id=..}. */
    private void redirect(Context ctx, String kind) {
        String location = store.locked(() -> links.pullRequestDiff(pr(store, ctx), kind));
        ctx.redirect(location, HttpStatus.FOUND);
    }

    /** {@code reviewers: [{"uuid": ...} | {"account_id": ...}]}; an unknown account is a 400. */
    private List<Account> reviewers(JsonNode body) {
        List<Account> out = new ArrayList<>();
        JsonNode list = body.get("reviewers");
        if (list == null || list.isNull()) {
            return out;
        }
        if (!list.isArray()) {
            throw ApiError.badField("reviewers", "Expected a list of accounts.");
        }
        for (JsonNode r : list) {
            String id = Json.text(r, "uuid") != null ? Json.text(r, "uuid") : Json.text(r, "account_id");
            Account account = store.account(id);
            if (account == null) {
                throw ApiError.badField("reviewers", "Unknown account: " + r);
            }
            out.add(account);
        }
        return out;
    }
}
