package dev.bbagent.fake.bitbucket;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A fake Bitbucket Cloud: an in-memory model served over real HTTP at {@link #baseUrl()}
 * ({@code http://127.0.0.1:PORT/2.0}) with the REST 2.0 shapes, pagination, errors and rate limits of the
 * real API, and webhook delivery signed and retried as Bitbucket does it.
 *
 * <pre>{@code
 * try (FakeBitbucket fake = FakeBitbucket.start()) {
 *     Account bot = fake.appUser("bbagent");
 *     Account alice = fake.user("alice", "Alice Liddell");
 *     fake.acceptBearerToken("token-1", bot);
 *     fake.workspace("acme").member(bot).repo("widgets")
 *             .branch("main", Map.of("README.md", "# Widgets\n"))
 *             .branch("feature/x", Map.of("x.py", "print('x')\n"));
 *     fake.registerWebhook("acme", "widgets", "http://127.0.0.1:8080/webhooks/bitbucket", "s3cret",
 *             "pullrequest:created", "pullrequest:comment_created");
 *     fake.emitEventsFromSeeds(true);
 *     PullRequestView pr = fake.openPullRequest("acme", "widgets", "Add x", "feature/x", "main", alice);
 *     fake.awaitDeliveries(1, Duration.ofSeconds(5));
 *     // ... the code under test comments through the API ...
 *     List<CommentView> comments = fake.comments("acme", "widgets", pr.id());
 *     fake.failNext(1, 429);   // the next request is rate-limited
 * }
 * }</pre>
 *
 * Thread-safe: the model sits behind one lock; requests are served on virtual threads.
 */
public final class FakeBitbucket implements AutoCloseable {

    private final Store store;
    private final Links links = new Links();
    private final Credentials credentials = new Credentials();
    private final Faults faults = new Faults();
    private final RequestLog requests = new RequestLog();
    private final RateLimiter rateLimiter;
    private final WebhookSender sender;
    private final Events events;
    private final Seeding seeding;
    private final Javalin http;
    private volatile boolean emitFromSeeds;

    private FakeBitbucket(Builder builder) {
        this.store = new Store(builder.clock);
        this.rateLimiter = new RateLimiter(builder.clock);
        this.sender = new WebhookSender(builder.webhookTimeout, builder.clock);
        this.events = new Events(links, sender);
        PullRequestOps pullRequests = new PullRequestOps(store, events);
        CommentOps comments = new CommentOps(store, events);
        Account committer = account("fake-bitbucket", "Fake Bitbucket", Account.APP_USER);
        this.seeding = new Seeding(store, pullRequests, comments, () -> emitFromSeeds, committer);
        Gate gate = new Gate(requests, faults, credentials, rateLimiter);
        this.http = Javalin.create(cfg -> routes(cfg, gate, pullRequests, comments));
        try {
            http.start(builder.host, builder.port);
        } catch (RuntimeException e) {
            sender.close();
            throw e;
        }
        links.bind("http://" + builder.host + ":" + http.port());
    }

    private void routes(JavalinConfig cfg, Gate gate, PullRequestOps pullRequests, CommentOps comments) {
        cfg.startup.showJavalinBanner = false;
        cfg.concurrency.useVirtualThreads = true;
        Respond.install(cfg);
        cfg.routes.before("/2.0/*", gate);
        new AccountRoutes(store, links).install(cfg);
        new RepositoryRoutes(store, links).install(cfg);
        new SourceRoutes(store, links).install(cfg);
        new PullRequestRoutes(store, links, pullRequests).install(cfg);
        new CommentRoutes(store, links, comments).install(cfg);
        new DiffRoutes(store, links).install(cfg);
        new SnippetRoutes(store, links, comments).install(cfg);
        IssueRoutes.install(cfg);
    }

    /** Start a fake on a free port of 127.0.0.1 with the system clock and a 10 s webhook timeout. */
    public static FakeBitbucket start() {
        return builder().start();
    }

    /** Options (clock, webhook timeout, port) for a fake started with {@link Builder#start()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link #start()}; every one has Bitbucket's default. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private Duration webhookTimeout = WebhookSender.DEFAULT_TIMEOUT;
        private String host = "127.0.0.1";
        private int port;

        private Builder() {}

        /** The clock for timestamps and the rate-limit window. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** How long one webhook attempt may take before it counts as a timeout (Bitbucket: 10 s). */
        public Builder webhookTimeout(Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("the webhook timeout must be positive, not " + value);
            }
            this.webhookTimeout = value;
            return this;
        }

        /** The port to listen on; 0 (the default) picks a free one. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** Start the fake; it serves until {@link FakeBitbucket#close()}. */
        public FakeBitbucket start() {
            return new FakeBitbucket(this);
        }
    }

    // ---- server

    /** The port the fake listens on at 127.0.0.1. */
    public int port() {
        return http.port();
    }

    /** The API root, {@code http://127.0.0.1:PORT/2.0}, to configure a client with. */
    public String baseUrl() {
        return links.api("");
    }

    /** Stop serving and stop delivering webhooks. */
    @Override
    public void close() {
        http.stop();
        sender.close();
    }

    // ---- accounts and credentials

    /** A person ({@code type "user"}) with a new UUID and account id; email {@code nickname@example.com}. */
    public Account user(String nickname, String displayName) {
        return account(nickname, displayName, Account.USER);
    }

    /** A bot ({@code type "app_user"}), e.g. the identity behind an access token. */
    public Account appUser(String name) {
        return account(name, name, Account.APP_USER);
    }

    private Account account(String nickname, String displayName, String type) {
        Account account = new Account(Ids.newUuid(), "557058:" + UUID.randomUUID(), displayName, nickname, type,
                nickname.replace(' ', '.') + "@example.com");
        store.addAccount(account);
        return account;
    }

    /** Accept {@code Authorization: Bearer <token>} (an access token) acting as the account, with write access. */
    public FakeBitbucket acceptBearerToken(String token, Account as) {
        return acceptBearerToken(token, as, Permission.WRITE);
    }

    /** Accept {@code Authorization: Bearer <token>} acting as the account; READ makes writes answer 403. */
    public FakeBitbucket acceptBearerToken(String token, Account as, Permission permission) {
        store.addAccount(as);
        credentials.addBearer(token, as, permission);
        return this;
    }

    /** Accept {@code Authorization: Basic base64(email:apiToken)} with the account's email, with write access. */
    public FakeBitbucket acceptApiToken(Account as, String apiToken) {
        return acceptApiToken(as, apiToken, Permission.WRITE);
    }

    /** Accept {@code Authorization: Basic base64(email:apiToken)} with the account's email. */
    public FakeBitbucket acceptApiToken(Account as, String apiToken, Permission permission) {
        store.addAccount(as);
        credentials.addBasic(as.email(), apiToken, as, permission);
        return this;
    }

    // ---- seeding

    /** The workspace with this slug, created when missing, to seed members and repositories. */
    public WorkspaceSeed workspace(String slug) {
        return new WorkspaceSeed(seeding, slug);
    }

    /** Open a pull request as {@code author}, from one branch to another (null: the main branch). */
    public PullRequestView openPullRequest(String workspace, String repo, String title, String fromBranch,
            String toBranch, Account author) {
        return openPullRequest(workspace, repo, NewPullRequest.of(title, fromBranch, toBranch), author);
    }

    /** Open a pull request as {@code author} ({@code pullrequest:created} when seed events are on). */
    public PullRequestView openPullRequest(String workspace, String repo, NewPullRequest spec, Account author) {
        return seeding.run(() -> {
            store.addAccount(author);
            RepoData r = store.repo(workspace, repo);
            return seeding.pullRequests().open(r, author, spec, emitFromSeeds).view();
        });
    }

    /** Act on a pull request (comment, approve, merge, set its diff, ...) or read it back. */
    public PullRequestSeed pullRequest(String workspace, String repo, int id) {
        return new PullRequestSeed(seeding, workspace, repo, id);
    }

    /** Create a snippet in a workspace; returns its id (as used in {@code /snippets/{ws}/{id}}). */
    public String snippet(String workspace, Account owner, String title, Map<String, String> files) {
        return seeding.run(() -> {
            store.addAccount(owner);
            WorkspaceData ws = store.workspace(workspace);
            SnippetData s = new SnippetData(store.nextSnippetId(), ws, title, owner, true, files, store.now());
            ws.snippets.put(s.id, s);
            return s.id;
        });
    }

    /**
     * Whether seed changes (opening, commenting on, approving, merging, pushing to pull requests through this
     * class) emit webhook events like the same change made through the REST API. Off by default.
     */
    public FakeBitbucket emitEventsFromSeeds(boolean on) {
        this.emitFromSeeds = on;
        return this;
    }

    // ---- inspection

    /** The pull requests of a repository in every state, by id. */
    public List<PullRequestView> pullRequests(String workspace, String repo) {
        return seeding.run(() -> store.repo(workspace, repo).pullRequests.values().stream()
                .map(PullRequestData::view).toList());
    }

    /** A pull request's comments, oldest first, deleted ones included. */
    public List<CommentView> comments(String workspace, String repo, int pullRequestId) {
        return pullRequest(workspace, repo, pullRequestId).comments();
    }

    /** A snippet's comments, oldest first. */
    public List<CommentView> snippetComments(String workspace, String snippetId) {
        return seeding.run(() -> {
            SnippetData s = store.workspace(workspace).snippets.get(snippetId);
            if (s == null) {
                throw ApiError.notFound("Snippet " + snippetId + " not found");
            }
            return s.comments.values().stream().map(CommentData::view).toList();
        });
    }

    /** A file's content at a branch, hash or hash prefix; empty when the file or commit does not exist. */
    public Optional<String> file(String workspace, String repo, String commitish, String path) {
        return seeding.run(() -> {
            CommitData c = store.repo(workspace, repo).resolve(commitish);
            return Optional.ofNullable(c == null ? null : c.tree().get(path));
        });
    }

    /** Branch names to the full hash they point at. */
    public Map<String, String> branches(String workspace, String repo) {
        return seeding.run(() -> new LinkedHashMap<>(store.repo(workspace, repo).branches));
    }

    /** Whether a repository exists (e.g. after a create or delete through the API). */
    public boolean hasRepository(String workspace, String repo) {
        return store.locked(() -> store.workspaces().stream()
                .anyMatch(ws -> ws.slug.equals(workspace) && ws.repos.containsKey(repo)));
    }

    // ---- requests, faults and rate limits

    /** Every request received so far, in order; {@code Authorization} values are redacted. */
    public List<RecordedRequest> requests() {
        return requests.all();
    }

    /** Forget the requests recorded so far. */
    public void clearRequests() {
        requests.clear();
    }

    /** The next {@code count} requests answer {@code status} (429 with rate-limit headers, 500, 503, ...). */
    public FakeBitbucket failNext(int count, int status) {
        faults.failNext(count, status);
        return this;
    }

    /** Each credential may make this many requests in a rolling hour (default 1,000); then 429. */
    public FakeBitbucket rateLimit(int perHour) {
        rateLimiter.limit(perHour);
        return this;
    }

    /** Forget the requests counted so far against every budget. */
    public void resetRateLimits() {
        rateLimiter.reset();
    }

    // ---- webhooks

    /** Subscribe a URL to events of a repository; a null or empty secret sends unsigned deliveries. */
    public Hook registerWebhook(String workspace, String repo, String url, String secret, String... eventKeys) {
        Hook hook = new Hook(Ids.newUuid(), workspace, repo, url, secret, Set.of(eventKeys));
        seeding.run(() -> store.repo(workspace, repo).hooks.add(hook));
        return hook;
    }

    /**
     * Send a payload exactly as given (e.g. a recorded fixture) to every hook, of any repository, subscribed
     * to the event, through the same signing and retries. Returns how many deliveries were queued.
     */
    public int deliver(String eventKey, String payloadJson) {
        byte[] body = payloadJson.getBytes(StandardCharsets.UTF_8);
        return store.locked(() -> {
            List<RepoData> repos = new ArrayList<>();
            store.workspaces().forEach(ws -> repos.addAll(ws.repos.values()));
            return events.raw(repos, eventKey, body);
        });
    }

    /** The deliveries finished so far (all attempts made), in the order they finished. */
    public List<WebhookDelivery> deliveries() {
        return sender.deliveries();
    }

    /** Wait until at least {@code count} deliveries finished; returns all finished ones. Throws on timeout. */
    public List<WebhookDelivery> awaitDeliveries(int count, Duration timeout) {
        return sender.await(count, timeout);
    }

    /** Forget the finished deliveries recorded so far. */
    public void clearDeliveries() {
        sender.clear();
    }
}
