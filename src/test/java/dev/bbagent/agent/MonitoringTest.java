package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.deploy.PrometheusServer;
import dev.bbagent.deploy.Queries;
import dev.bbagent.deploy.Tools;
import dev.bbagent.event.Edition;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.fake.openai.ToolCall;
import dev.bbagent.store.Job;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The monitoring files against the real thing: a bbagent on loopback (fake model, fake Bitbucket delivering
 * signed webhooks) scraped every second by a real Prometheus that evaluates deploy/prometheus/alerts.yml. The
 * traffic makes every series the dashboard and the alerts read exist: a completed run with tool calls and a
 * denied call, dead jobs (a model 401 and an MCP server that is down), deliveries with a wrong signature, a
 * rejected rules reload, a loop breaker trip and daily-budget deferrals. Then every dashboard query and
 * every alert expression goes through Prometheus' HTTP API and must answer series, and the alerts the
 * traffic should trigger must be pending or firing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringTest {

    private static final String ADMIN = "Bearer test-admin-token";

    private Path dir;
    private AgentHarness h;
    private PrometheusServer prometheus;
    private String skipped;

    private String rules(int ghostPort, String budget) {
        return """
                version: 1
                defaults: {model: gpt-test, max_turns: 4}
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                  ghost: {url: "http://127.0.0.1:%d/mcp"}
                pricing:
                  gpt-test: {input: 1.0, output: 4.0}
                %srules:
                  - name: review
                    on: [pull_request.opened]
                    tools: [bitbucket.get_pull_request, bitbucket.create_pull_request_comment, bitbucket.delete_repository]
                    prompt: "Review pull request #{{pull_request.id}}"
                  - name: doomed
                    on: [pull_request.opened, pull_request.comment_created]
                    model: gpt-broken
                    retries: 0
                    prompt: "This model refuses the key"
                  - name: lint
                    on: [pull_request.opened]
                    retries: 0
                    tools: [ghost.lint]
                    prompt: "Lint #{{pull_request.id}}"
                  - name: chatty
                    on: [pull_request.comment_created]
                    max_thread_writes_per_hour: 1
                    tools: [bitbucket.create_pull_request_comment]
                    prompt: "Answer on #{{pull_request.id}}"
                """.formatted(ghostPort, budget);
    }

    @BeforeAll
    void trafficThroughBbagentScrapedByPrometheus() throws Exception {
        if (Tools.find("prometheus").isEmpty() || Tools.find("promtool").isEmpty()) {
            skipped = "prometheus/promtool are not installed (apt-get install prometheus; .ci/packages.sh does it)";
            return;
        }
        dir = Files.createTempDirectory("bbagent-monitoring");
        h = new AgentHarness(dir);
        h.llm.fallback(req -> {
            if (req.model().orElse("").equals("gpt-broken")) {
                return Reply.error(401, "Incorrect API key provided");
            }
            if (req.toolResults().isEmpty()) {
                return Reply.toolCalls(
                        ToolCall.of("bitbucket__get_pull_request", args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1}")),
                        ToolCall.of("bitbucket__create_pull_request_comment",
                                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'Looks fine'}")),
                        ToolCall.of("bitbucket__delete_repository", args("{'workspace':'acme','repo_slug':'widgets'}")))
                        .withUsage(1000, 50, 200);
            }
            return Reply.text("Reviewed; one comment posted.");
        });
        int ghost = closedPort();
        TestServer server = h.start(rules(ghost, ""));
        prometheus = PrometheusServer.start(Tools.find("prometheus").orElseThrow(), dir,
                "127.0.0.1:" + server.app().port());
        // Counters that start at 0 must be scraped at 0 before they move, or increase() cannot see the move.
        prometheus.awaitSeries("the first scrape of bbagent", Duration.ofSeconds(15), "bbagent_loop_breaker_trips_total");

        // Deliveries with a wrong signature (a webhook secret that differs): 401, nothing stored.
        for (int i = 0; i < 3; i++) {
            byte[] body = "{\"repository\":{\"full_name\":\"acme/widgets\"}}".getBytes(StandardCharsets.UTF_8);
            var r = server.http().post("/webhooks/bitbucket", body, Deliveries.headers(Edition.CLOUD,
                    "pullrequest:created", UUID.randomUUID().toString(), "not-the-secret", body));
            assertThat(r.status()).isEqualTo(401);
        }
        // An edited rules file that is invalid is rejected; then the valid one is back.
        Path file = dir.resolve("rules.yaml");
        String valid = Files.readString(file);
        Files.writeString(file, valid.replace("prompt: \"Lint", "promt: \"Lint"));
        assertThat(server.http().post("/api/rules/reload", new byte[0], "Authorization", ADMIN).status()).isEqualTo(422);
        Files.writeString(file, valid);
        assertThat(server.http().post("/api/rules/reload", new byte[0], "Authorization", ADMIN).status()).isEqualTo(200);

        // A pull request: review completes (tool calls, one denied), doomed dies on the model's 401, lint dies on
        // the MCP server that is down.
        h.openPullRequest();
        await("review succeeded, doomed and lint dead", () -> count(Job.SUCCEEDED) == 1 && count(Job.DEAD) == 2);
        // The counter of 401s appears with the first one; a second one after a scrape makes it move in rate().
        prometheus.awaitSeries("the model's 401 in Prometheus", Duration.ofSeconds(15),
                "bbagent_llm_requests_total{outcome=\"auth\"}");

        // A comment: doomed gets its second 401; chatty is refused by the loop breaker (review already wrote).
        h.bb.pullRequest("acme", "widgets", 1).comment(h.alice, "what about the tests?");
        await("chatty skipped, doomed dead again", () -> count(Job.SUCCEEDED) == 2 && count(Job.DEAD) == 3);

        // A daily budget smaller than what review spent: the next comment's first job waits for the next UTC day
        // (and the thread's later jobs wait behind it).
        Files.writeString(file, rules(ghost, "budget: {daily_usd: 0.000001}\n"));
        assertThat(server.http().post("/api/rules/reload", new byte[0], "Authorization", ADMIN).status()).isEqualTo(200);
        h.bb.pullRequest("acme", "widgets", 1).comment(h.alice, "and the docs?");
        await("a job deferred by the budget", () -> sum("bbagent_budget_deferrals_total") == 1);

        server.app().pool().maintain(); // refresh the job gauges now rather than within 20 s
        prometheus.awaitSeries("the last changes scraped", Duration.ofSeconds(15),
                "bbagent_jobs_dead >= 3 and on () sum(bbagent_budget_deferrals_total) >= 1");
        Thread.sleep(2_500); // two more scrapes, so rate() sees the newest series move or stay
    }

    @AfterAll
    void stop() throws IOException {
        if (prometheus != null) {
            prometheus.close();
        }
        if (h != null) {
            h.close();
        }
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void everyDashboardPanelQueryReturnsSeries() throws IOException {
        skipUnlessRunning();
        Set<String> variables = Queries.dashboardVariables();
        List<String> problems = new ArrayList<>();
        List<Queries.Query> queries = Queries.dashboard();
        for (Queries.Query q : queries) {
            check(q.source(), Queries.substitute(q.expr(), variables), problems);
        }
        assertThat(queries).hasSizeGreaterThan(30);
        assertThat(problems).as("dashboard queries without series or with errors").isEmpty();
    }

    /**
     * An alert's condition ({@code x > 0}) is false when nothing is wrong, and then the expression answers no
     * series whether or not its metrics exist; so each expression is run whole (it must not be an error), and
     * its value (the expression without the final comparison, the inside of {@code absent()}) must answer
     * series. That proves every alert reads metrics bbagent exports, with labels that match.
     */
    @Test
    void everyAlertExpressionEvaluatesAndReadsSeriesBbagentExports() throws IOException {
        skipUnlessRunning();
        List<String> problems = new ArrayList<>();
        List<Queries.Query> alerts = Queries.alerts();
        for (Queries.Query a : alerts) {
            JsonNode whole = prometheus.query(a.expr());
            if (!whole.path("status").asText().equals("success")) {
                problems.add(a.source() + ": " + whole.path("error").asText() + "\n    " + a.expr());
            }
            check(a.source() + " (its value)", Queries.valueExpression(a.expr()), problems);
        }
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(12);
        assertThat(problems).as("alert expressions").isEmpty();
    }

    @Test
    void noQueryNamesAMetricBbagentDoesNotExport() throws IOException {
        skipUnlessRunning();
        Set<String> exported = new TreeSet<>();
        prometheus.api("/api/v1/label/__name__/values").path("data").forEach(n -> exported.add(n.asText()));
        Map<String, String> missing = new TreeMap<>();
        List<Queries.Query> all = new ArrayList<>(Queries.dashboard());
        all.addAll(Queries.alerts());
        for (Queries.Query q : all) {
            for (String name : Queries.metricNames(q.expr())) {
                if (!exported.contains(name)) {
                    missing.put(name, q.source());
                }
            }
        }
        assertThat(missing).as("metrics named by the dashboard or alerts but not exported").isEmpty();
    }

    @Test
    void prometheusEvaluatesEveryAlertRuleWithoutErrors() {
        skipUnlessRunning();
        JsonNode groups = prometheus.api("/api/v1/rules").path("data").path("groups");
        List<String> rules = new ArrayList<>();
        List<String> unhealthy = new ArrayList<>();
        for (JsonNode g : groups) {
            for (JsonNode r : g.path("rules")) {
                rules.add(r.path("name").asText());
                if (!r.path("health").asText().equals("ok")) {
                    unhealthy.add(r.path("name").asText() + ": " + r.path("health").asText() + " " + r.path("lastError").asText());
                }
            }
        }
        assertThat(rules).hasSizeGreaterThanOrEqualTo(12);
        assertThat(unhealthy).isEmpty();
    }

    @Test
    void theAlertsTheTrafficCausedArePendingOrFiring() throws InterruptedException {
        skipUnlessRunning();
        Set<String> expected = Set.of("BbagentWebhookUnauthorized", "BbagentJobsDead", "BbagentLlmErrors",
                "BbagentMcpServerDown", "BbagentLoopBreakerTripped", "BbagentDailyBudgetReached",
                "BbagentRulesReloadFailed");
        JsonNode answer = prometheus.await("alerts " + expected, Duration.ofSeconds(20), "/api/v1/alerts",
                a -> alertNames(a).containsAll(expected));

        assertThat(alertNames(answer)).containsAll(expected)
                .doesNotContain("BbagentDown", "BbagentAbsent", "BbagentStoreCommitFailures", "BbagentStoreStalled");
    }

    @Test
    void promtoolFindsNoProblemsInBbagentsMetrics() {
        skipUnlessRunning();
        String metrics = h.server.http().get("/metrics").body();
        List<String> command = List.of(Tools.find("promtool").orElseThrow().toString(), "check", "metrics");

        Tools.Result r = Tools.run(dir, Duration.ofSeconds(30), metrics, command);

        assertThat(r.exit()).as(r.describe(command)).isZero();
        assertThat(r.output()).as(r.describe(command)).isBlank();
    }

    private void check(String source, String expr, List<String> problems) {
        JsonNode answer = prometheus.query(expr);
        if (!answer.path("status").asText().equals("success")) {
            problems.add(source + ": error " + answer.path("error").asText() + "\n    " + expr);
        } else if (answer.path("data").path("result").isEmpty()) {
            problems.add(source + ": no series\n    " + expr);
        }
    }

    private static Set<String> alertNames(JsonNode answer) {
        Set<String> names = new TreeSet<>();
        answer.path("data").path("alerts").forEach(a -> names.add(a.path("labels").path("alertname").asText()));
        return names;
    }

    private void skipUnlessRunning() {
        if (skipped != null) {
            Tools.skip(skipped);
        }
    }

    private int count(String state) {
        return h.server.app().jobs().countsByState().getOrDefault(state, 0);
    }

    /** The sum of every sample of one metric in bbagent's /metrics. */
    private double sum(String metric) {
        return h.server.http().get("/metrics").body().lines()
                .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ": " + h.server.app().jobs().countsByState()
                        + "\n" + h.server.app().jobs().jobs(null, null, null, 20));
            }
            Thread.sleep(20);
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
