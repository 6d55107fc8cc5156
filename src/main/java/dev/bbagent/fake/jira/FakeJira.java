package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import dev.bbagent.jira.Adf;
import io.javalin.Javalin;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fake Jira Cloud site: an in-memory model (projects, issues with ADF descriptions, comments, a To Do / In
 * Progress / Done workflow, users) served over real HTTP at {@link #baseUrl()} with the REST v3 shapes, Jira's
 * error bodies ({@code errorMessages}, {@code errors}), HTTP Basic with an account's email and API token, and
 * admin webhooks delivered like Jira Cloud's ({@link JiraHooks}): signed with {@code X-Hub-Signature}, identified
 * by {@code X-Atlassian-Webhook-Identifier}.
 *
 * <pre>{@code
 * try (FakeJira jira = FakeJira.start()) {
 *     JiraUser bot = jira.app("bbagent");
 *     JiraUser ann = jira.user("Ann Lee");
 *     jira.acceptApiToken(bot, "jira-token");
 *     jira.project("PROJ", "Project");
 *     jira.registerWebhook("http://127.0.0.1:8080/webhooks/jira", "s3cret", "jira:issue_created");
 *     IssueView issue = jira.createIssue("PROJ", "Bug", "Login fails", "Steps: ...", ann);  // jira:issue_created
 *     jira.awaitDeliveries(1, Duration.ofSeconds(5));
 *     List<CommentView> comments = jira.comments(issue.key());
 *     jira.failNext(1, 429, 30);   // the next request is rate-limited, Retry-After: 30
 * }
 * }</pre>
 *
 * Thread-safe: the model sits behind one lock; requests are served on virtual threads.
 */
public final class FakeJira implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FakeJira.class);

    private final JiraModel model;
    private final JiraShapes shapes = new JiraShapes();
    private final JiraHooks hooks = new JiraHooks();
    private final JiraOps ops;
    private final JiraRoutes routes;
    private final Javalin http;

    private FakeJira(Clock clock) {
        this.model = new JiraModel(clock);
        this.ops = new JiraOps(model, shapes, hooks);
        this.routes = new JiraRoutes(ops);
        this.http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("fake Jira: {} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).contentType("application/json")
                        .result("{\"errorMessages\":[\"Internal server error\"],\"errors\":{}}");
            });
            routes.install(cfg);
        });
        try {
            http.start("127.0.0.1", 0);
        } catch (RuntimeException e) {
            hooks.close();
            throw e;
        }
        shapes.bind("http://127.0.0.1:" + http.port());
    }

    /** Start on a free port of 127.0.0.1 with the system clock. */
    public static FakeJira start() {
        return start(Clock.systemUTC());
    }

    /** Start with a clock for timestamps. */
    public static FakeJira start(Clock clock) {
        return new FakeJira(clock);
    }

    /** The site, {@code http://127.0.0.1:PORT}: what {@code JIRA_BASE_URL} points at. */
    public String baseUrl() {
        return shapes.site();
    }

    @Override
    public void close() {
        http.stop();
        hooks.close();
    }

    // ---- accounts

    /** A person ({@code accountType "atlassian"}); email from the name, e.g. {@code ann.lee@example.com}. */
    public JiraUser user(String displayName) {
        return ops.locked(() -> model.user(displayName, "atlassian"));
    }

    /** An app or bot account ({@code accountType "app"}). */
    public JiraUser app(String name) {
        return ops.locked(() -> model.user(name, "app"));
    }

    /** Accept {@code Authorization: Basic base64(email:apiToken)} acting as the account. */
    public FakeJira acceptApiToken(JiraUser as, String apiToken) {
        ops.locked(() -> model.tokens.computeIfAbsent(as.email(), e -> new HashMap<>()).put(apiToken, as));
        return this;
    }

    // ---- seeding: the same changes as through the API, with the same webhook events

    /** A project (created when missing). */
    public FakeJira project(String key, String name) {
        ops.locked(() -> model.project(key, name));
        return this;
    }

    /** Create an issue as {@code reporter}, its description plain text turned into ADF (null: none). */
    public IssueView createIssue(String project, String type, String summary, String description, JiraUser reporter,
            String... labels) {
        JsonNode adf = description == null ? null : Adf.fromText(description);
        return createIssue(project, type, summary, adf, reporter, labels);
    }

    /** Create an issue with an ADF description as {@code reporter}; delivers {@code jira:issue_created}. */
    public IssueView createIssue(String project, String type, String summary, JsonNode description, JiraUser reporter,
            String... labels) {
        return ops.locked(() -> ops.create(reporter, project, type, summary, description, List.of(labels), null).view());
    }

    /** Comment as {@code author}; delivers {@code comment_created} and {@code jira:issue_updated}. */
    public CommentView comment(String issueKey, String text, JiraUser author) {
        JiraModel.Comment c = ops.comment(author, issueKey, Adf.fromText(text));
        return view(issueKey, c);
    }

    /** Move an issue to a status ({@code To Do}, {@code In Progress}, {@code Done}); delivers {@code jira:issue_updated}. */
    public IssueView transition(String issueKey, String status, JiraUser by) {
        return ops.transition(by, issueKey, JiraModel.status(status)).view();
    }

    /** Change the summary as {@code by}; delivers {@code jira:issue_updated} with the change in its changelog. */
    public IssueView rename(String issueKey, String summary, JiraUser by) {
        return ops.update(by, issueKey, summary, null, null, null, List.of(), List.of()).view();
    }

    // ---- inspection

    public IssueView issue(String key) {
        return ops.locked(() -> model.issue(key).view());
    }

    /** An issue's comments, oldest first. */
    public List<CommentView> comments(String issueKey) {
        return ops.locked(() -> model.issue(issueKey).comments.stream().map(c -> view(issueKey, c)).toList());
    }

    private static CommentView view(String issueKey, JiraModel.Comment c) {
        return new CommentView(Long.toString(c.id), issueKey, c.author, c.body, Adf.toText(c.body));
    }

    /** Every REST request so far, in order; {@code Authorization} keeps only its scheme. */
    public List<RecordedRequest> requests() {
        return routes.requests();
    }

    public void clearRequests() {
        routes.clearRequests();
    }

    /** The next {@code count} requests answer {@code status}; a 429 or 503 sends {@code Retry-After: seconds} (0: none). */
    public FakeJira failNext(int count, int status, int retryAfterSeconds) {
        routes.failNext(count, status, retryAfterSeconds);
        return this;
    }

    // ---- webhooks

    /** An admin webhook for these events ({@code jira:issue_created}, ...); a null secret sends unsigned. */
    public FakeJira registerWebhook(String url, String secret, String... events) {
        hooks.register(new JiraHooks.Hook(url, secret, Set.of(events), Set.of()));
        return this;
    }

    /** As {@link #registerWebhook}, for issues of these projects only (the webhook's JQL filter {@code project in (...)}). */
    public FakeJira registerWebhook(String url, String secret, Set<String> projects, String... events) {
        hooks.register(new JiraHooks.Hook(url, secret, Set.of(events), Set.copyOf(projects)));
        return this;
    }

    /** The deliveries finished so far (all attempts made). */
    public List<JiraDelivery> deliveries() {
        return hooks.deliveries();
    }

    /** Wait until at least {@code count} deliveries finished; throws on timeout. */
    public List<JiraDelivery> awaitDeliveries(int count, Duration timeout) {
        return hooks.await(count, timeout);
    }
}
