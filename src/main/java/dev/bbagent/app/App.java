package dev.bbagent.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bbagent.admin.AdminAuth;
import dev.bbagent.admin.DeliveryRoutes;
import dev.bbagent.admin.JobRoutes;
import dev.bbagent.admin.RulesRoutes;
import dev.bbagent.admin.RunRoutes;
import dev.bbagent.agent.AgentRunner;
import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.config.Settings;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.http.Errors;
import dev.bbagent.http.JsonMappers;
import dev.bbagent.http.Listener;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.mcp.McpToolSource;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.queue.JobHandler;
import dev.bbagent.queue.QueueSettings;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.rules.RulesWatcher;
import dev.bbagent.store.Retention;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteJobStore;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.store.StoreTimeoutException;
import dev.bbagent.webhook.BitbucketWebhook;
import dev.bbagent.webhook.BodyBudget;
import dev.bbagent.webhook.JiraWebhook;
import dev.bbagent.webhook.Replay;
import dev.bbagent.webhook.SignatureVerifier;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Gauge;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every part by constructor, starts them in order, stops them in reverse.
 * Nothing else in bbagent creates long-lived parts.
 */
public final class App implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(App.class);

    private final Settings settings;
    private final Metrics metrics;
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final SqliteStore store;
    private final RulesRuntime rules;
    private final SqliteJobStore jobs;
    private final HistoryStore history;
    private final McpServers servers;
    private final Builtins builtins;
    private final WorkerPool pool;
    private final Background background;
    private final Javalin http;

    private App(Settings settings, Map<String, String> env, Clock clock, JobHandler handlerOverride) {
        this.settings = settings;
        this.metrics = new Metrics();
        this.store = new SqliteStore(settings.dataDir().resolve("bbagent.db"),
                SqliteFile.Sync.valueOf(settings.dbSync().toUpperCase(Locale.ROOT)), clock, metrics.registry());
        try {
            this.rules = new RulesRuntime(settings.rulesFile(), env, metrics,
                    r -> store.saveRuleVersion(r.version(), r.text()), store::ruleVersionText);
            this.builtins = new Builtins(env, metrics.registry(), clock);
            builtins.description().forEach(line -> LOG.info("{}", line));
        } catch (RuntimeException e) {
            store.close();
            metrics.close();
            throw e;
        }
        closeables.add(new RulesWatcher(rules));
        this.background = new Background(metrics);
        registerDiskGauges(settings.dataDir().toFile());
        this.jobs = new SqliteJobStore(store.file());

        Redactor redactor = new Redactor(Secrets.of(settings, env, rules.current()));
        this.history = new HistoryStore(settings.dataDir(), redactor, clock, metrics.registry(),
                settings.toolResultChars(), Duration.ofMinutes(5));
        this.servers = new McpServers(rules.current().servers(), builtins.sources(), metrics.registry(),
                McpToolSource.Options.defaults().withCallTimeout(settings.toolTimeout()));
        rules.onChange(r -> {
            servers.update(r.servers());
            redactor.use(Secrets.of(settings, env, r));
        });
        LlmClient.Settings llmSettings = LlmClient.Settings.of(settings.openaiBaseUrl(), settings.openaiApiKey().orElse(""));
        LlmClient llm = new LlmClient(new LlmClient.Settings(llmSettings.baseUrl(), llmSettings.apiKey(),
                settings.llmAttempts(), settings.llmBackoff(), llmSettings.maxInRunWait(), llmSettings.breakerWindow(),
                llmSettings.breakerOpen()), metrics.registry());
        closeables.add(llm);
        JobHandler handler = handlerOverride != null ? handlerOverride
                : new AgentRunner(rules, store, Replay::event, servers, llm, history,
                        new AgentRunner.Settings(settings.dryRun()), metrics.registry(), clock);
        this.pool = new WorkerPool(jobs, handler, QueueSettings.defaults(settings.workers(), settings.maxPerRepo(),
                settings.instanceId()), clock, metrics.registry());

        SignatureVerifier verifier = new SignatureVerifier(settings.webhookSecrets(), settings.unsignedAllowed());
        BodyBudget bodies = BodyBudget.forHeap(metrics.registry());
        BitbucketWebhook bitbucket = new BitbucketWebhook(verifier, store, rules, metrics, clock, pool::wake, bodies);
        JiraWebhook jira = new JiraWebhook(new SignatureVerifier(settings.jiraWebhookSecrets(), settings.unsignedAllowed()),
                store, rules, metrics, clock, pool::wake, bodies);
        AdminAuth auth = new AdminAuth(settings.adminToken(), metrics.registry());
        DeliveryRoutes deliveries = new DeliveryRoutes(store);
        RulesRoutes rulesRoutes = new RulesRoutes(rules);
        JobRoutes jobRoutes = new JobRoutes(jobs, pool, new Replay(store, jobs, rules, clock), clock);
        RunRoutes runRoutes = new RunRoutes(history);
        Health health = new Health(List.of(
                new Health.Check("database", () -> store.file().writer().fatalProblem())), List.of(
                new Health.Check("database", this::databaseProblem),
                new Health.Check("rules", () -> rules.current() == null ? "no rules loaded" : null),
                new Health.Check("mcp_servers", this::mcpProblems, false),
                new Health.Check("llm", llm::problem, false)));

        this.http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.http.maxRequestSize = 2L << 20;
            cfg.jsonMapper(new JavalinJackson(apiMapper(), true));
            Listener.install(cfg, settings.host(), settings.port(), settings.httpIdleTimeout());
            Errors.install(cfg);
            cfg.routes.post("/webhooks/bitbucket", bitbucket);
            cfg.routes.post("/webhooks/jira", jira);
            cfg.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                    .result(metrics.scrape()));
            health.install(cfg);
            cfg.routes.before("/api/*", auth::check);
            deliveries.install(cfg);
            rulesRoutes.install(cfg);
            jobRoutes.install(cfg);
            runRoutes.install(cfg);
        });
        scheduleMaintenance(clock);
    }

    private void scheduleMaintenance(Clock clock) {
        Duration retention = Duration.ofDays(settings.deliveryRetentionDays());
        Retention deliveries = new Retention(store, jobs);
        background.every("delivery_retention", Duration.ofMinutes(1), Duration.ofHours(1), () -> {
            Retention.Deleted d = deliveries.pruneBefore(clock.instant().minus(retention).truncatedTo(ChronoUnit.SECONDS));
            if (d.deliveries() + d.jobs() > 0) {
                LOG.info("retention: deleted {} deliveries and {} finished jobs older than {} days", d.deliveries(),
                        d.jobs(), settings.deliveryRetentionDays());
            }
        });
        background.every("history_retention", Duration.ofMinutes(2), Duration.ofHours(6), () -> {
            int n = history.pruneBefore(clock.instant().minus(Duration.ofDays(settings.historyDays())));
            if (n > 0) {
                LOG.info("retention: deleted {} runs older than {} days from the history", n, settings.historyDays());
            }
        });
        background.every("history_idle_files", Duration.ofMinutes(1), Duration.ofMinutes(1), history::closeIdle);
        builtins.bitbucket().ifPresent(client -> background.once("bot_identity", () -> {
            var me = client.currentUser();
            String id = me.accountId() != null && !me.accountId().isBlank() ? me.accountId() : me.uuid();
            rules.addBotId(id);
            rules.addBotId(me.uuid());
            LOG.info("bot identity: the Bitbucket token acts as {} ({}); its own events never trigger a rule",
                    me.displayName(), id);
        }));
        builtins.jira().ifPresent(client -> background.once("jira_bot_identity", () -> {
            var me = client.myself();
            rules.addBotId(me.path("accountId").asText(""));
            LOG.info("bot identity: the Jira credential acts as {} ({}); its own events never trigger a rule",
                    me.path("displayName").asText(""), me.path("accountId").asText(""));
        }));
    }

    /** Build and start bbagent with the process environment; the returned app is serving HTTP. */
    public static App start(Settings settings, Clock clock) {
        return start(settings, System.getenv(), clock);
    }

    /**
     * Build and start bbagent; the returned app is serving HTTP.
     *
     * @param env the environment that {@code ${VAR}} in rules.yaml and the built-in tools read
     */
    public static App start(Settings settings, Map<String, String> env, Clock clock) {
        return start(settings, env, clock, null);
    }

    /** Build and start bbagent with a job handler of the caller's (tests); null for the agent runtime. */
    public static App start(Settings settings, Map<String, String> env, Clock clock, JobHandler handler) {
        App app = new App(settings, env, clock, handler);
        try {
            app.http.start();
            app.pool.start();
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        LOG.info("rules: {} version {} with {} enabled rules", settings.rulesFile(), app.rules.current().version(),
                app.rules.current().enabledCount());
        LOG.info("bbagent listening on http://{}:{} (webhooks: POST /webhooks/bitbucket, POST /webhooks/jira)", settings.host(), app.port());
        return app;
    }

    public int port() {
        return http.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    public SqliteStore store() {
        return store;
    }

    public Settings settings() {
        return settings;
    }

    public RulesRuntime rules() {
        return rules;
    }

    public SqliteJobStore jobs() {
        return jobs;
    }

    public WorkerPool pool() {
        return pool;
    }

    public HistoryStore history() {
        return history;
    }

    public McpServers servers() {
        return servers;
    }

    /** Readiness answers quickly even on a stalled disk: the write probe waits at most this long. */
    private static final Duration PROBE_WAIT = Duration.ofSeconds(2);

    private String databaseProblem() {
        Path file = store.file().path();
        try {
            store.probeWritable(PROBE_WAIT);
            return null;
        } catch (StoreTimeoutException e) {
            return file + " did not commit a write within " + PROBE_WAIT.toSeconds() + " s: the disk is stalled "
                    + "or overloaded (webhooks get 503 after 8 s)";
        } catch (RuntimeException e) {
            return file + " is not writable: " + e.getMessage();
        }
    }

    private String mcpProblems() {
        List<String> down = new ArrayList<>();
        servers.health().forEach((name, problem) -> {
            if (problem != null) {
                down.add(name + ": " + problem);
            }
        });
        return down.isEmpty() ? null : String.join("; ", down);
    }

    private void registerDiskGauges(File dataDir) {
        // Gauges hold their object weakly unless told otherwise: the File would be collected and the gauge
        // read NaN, so the disk alerts could never fire.
        Gauge.builder("bbagent.data.disk.free", dataDir, File::getUsableSpace)
                .description("Free bytes on the disk holding the data folder")
                .baseUnit("bytes")
                .strongReference(true)
                .register(metrics.registry());
        Gauge.builder("bbagent.store.size", store, s -> s.file().path().toFile().length()
                        + new File(s.file().path() + "-wal").length())
                .description("Size of data/bbagent.db and its write-ahead log")
                .baseUnit("bytes")
                .strongReference(true)
                .register(metrics.registry());
    }

    static ObjectMapper apiMapper() {
        return JsonMappers.create()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    }

    /**
     * Stop in order: the workers first (they get the shutdown grace while webhooks are still accepted,
     * since Bitbucket does not wait), then HTTP, then the loops, tool servers and storage.
     */
    @Override
    public void close() {
        pool.shutdown(settings.shutdownGrace());
        try {
            http.stop();
        } catch (RuntimeException e) {
            LOG.warn("stopping HTTP failed", e);
        }
        background.close();
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c.getClass().getSimpleName(), e.getMessage());
            }
        }
        servers.close();
        builtins.close();
        history.close();
        store.close();
        metrics.close();
    }
}
