package dev.bbagent.agent;

import dev.bbagent.config.Settings;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.FakeBitbucket;
import dev.bbagent.fake.bitbucket.PullRequestView;
import dev.bbagent.fake.openai.FakeOpenAi;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.Runs;
import dev.bbagent.store.Job;
import dev.bbagent.testing.MutableClock;
import dev.bbagent.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A whole bbagent against fakes at every boundary: a scripted OpenAI-compatible server, a fake
 * Bitbucket Cloud that delivers real signed webhooks, real SQLite, real HTTP.
 */
final class AgentHarness implements AutoCloseable {

    static final String BB_TOKEN = "bb-token-9f8e7d6c5b4a";

    final Path dir;
    final FakeOpenAi llm = FakeOpenAi.started();
    final FakeBitbucket bb = FakeBitbucket.start();
    final Account bot = bb.appUser("bbagent");
    final Account alice = bb.user("alice", "Alice");
    final Map<String, String> env = new HashMap<>();
    final MutableClock clock = new MutableClock(java.time.Instant.now());
    TestServer server;

    AgentHarness(Path dir) {
        this.dir = dir;
        bb.acceptBearerToken(BB_TOKEN, bot);
        bb.workspace("acme").admin(bot).member(alice).repo("widgets")
                .branch("main", Map.of("README.md", "# Widgets\n", "src/app.py", "print('hi')\n"))
                .branch("feature/x", Map.of("src/x.py", "x = 1\n"));
        bb.workspace("acme").repo("gadgets").branch("main", Map.of("README.md", "# Gadgets\n"));
        env.put("BITBUCKET_TOKEN", BB_TOKEN);
        env.put("BITBUCKET_API_URL", bb.baseUrl());
    }

    TestServer start(String rules) throws Exception {
        return start(rules, s -> s);
    }

    TestServer start(String rules, UnaryOperator<Settings> tweak) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules);
        Settings s = Settings.forTests(dir.resolve("data"), file, TestServer.SECRET).withOpenAi(llm.baseUrl());
        server = new TestServer(tweak.apply(s), env, null, clock);
        bb.registerWebhook("acme", "widgets", server.url() + "/webhooks/bitbucket", TestServer.SECRET,
                "pullrequest:created", "pullrequest:updated", "pullrequest:comment_created");
        bb.emitEventsFromSeeds(true);
        return server;
    }

    PullRequestView openPullRequest() {
        return bb.openPullRequest("acme", "widgets", "Add x", "feature/x", "main", alice);
    }

    /** Moves time past a job's backoff and lets the workers look again. */
    void skipAhead(Duration d) {
        clock.advance(d);
        server.app().pool().wake();
    }

    /** Waits until every job has finished (succeeded, dead...) or is waiting to retry; returns the newest. */
    Job awaitJob(String state) throws InterruptedException {
        return awaitJob(server, state);
    }

    /** {@link #awaitJob(String)} on any server (a second one on the same data folder, say). */
    static Job awaitJob(TestServer server, String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            List<Job> jobs = server.app().jobs().jobs(null, null, null, 10);
            if (!jobs.isEmpty() && jobs.getFirst().state().equals(state) && server.app().pool().runningCount() == 0) {
                return jobs.getFirst();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no job reached " + state + ": " + server.app().jobs().jobs(null, null, null, 10));
    }

    List<HistoryRecords.RunSummary> runs() {
        return new Runs(server.app().history()).list("acme/widgets", null, null, 20);
    }

    HistoryRecords.RunDetail lastRun() {
        var s = runs().getFirst();
        return new Runs(server.app().history()).get(s.repo() + "/" + s.id()).orElseThrow();
    }

    static String args(String json) {
        return json.replace('\'', '"');
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        llm.close();
        bb.close();
    }
}
