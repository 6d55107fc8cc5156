package dev.bbagent.demo;

import dev.bbagent.app.App;
import dev.bbagent.config.Settings;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.CommentView;
import dev.bbagent.fake.bitbucket.FakeBitbucket;
import dev.bbagent.fake.bitbucket.WebhookDelivery;
import dev.bbagent.fake.openai.FakeOpenAi;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.Runs;
import dev.bbagent.store.Job;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bbagent demo}: the whole product in one process, with no key and no network. A fake Bitbucket
 * Cloud and a scripted model stand in for the real ones; bbagent itself runs for real, with the shipped
 * rules: a pull request is opened, Bitbucket delivers the signed webhook, the rule matches, the job runs
 * the agent, the agent reads the diff through the built-in tools and posts its review hints.
 */
public final class Demo {

    private static final String SECRET = "demo-webhook-secret";
    private static final String TOKEN = "demo-bitbucket-token";

    private final PrintWriter out;

    public Demo(PrintWriter out) {
        this.out = out;
    }

    /** Returns the process exit code. */
    public int run(Path rules) throws Exception {
        Path data = Files.createTempDirectory("bbagent-demo");
        Path rulesFile = rules != null && Files.exists(rules) ? rules : bundledRules(data);
        SkippableClock clock = new SkippableClock();
        try (FakeBitbucket bb = FakeBitbucket.start(); FakeOpenAi llm = FakeOpenAi.started()) {
            llm.fallback(ScriptedReviewer::answer);
            Account bot = bb.appUser("bbagent");
            Account ann = bb.user("ann", "Ann Example");
            bb.acceptBearerToken(TOKEN, bot);
            seed(bb, bot, ann);
            say("1. A fake Bitbucket Cloud at " + bb.baseUrl() + " holds acme/widgets; a scripted model at "
                    + llm.baseUrl() + " stands in for the LLM.");

            Settings settings = Settings.forTests(data.resolve("data"), rulesFile, SECRET).withOpenAi(llm.baseUrl())
                    .withAdminToken(Optional.empty());
            Map<String, String> env = Map.of("BITBUCKET_TOKEN", TOKEN, "BITBUCKET_API_URL", bb.baseUrl());
            try (App app = App.start(settings, env, clock)) {
                say("2. bbagent is listening on http://127.0.0.1:" + app.port() + " with " + rulesFile + " ("
                        + app.rules().current().enabledCount() + " rules).");
                bb.registerWebhook("acme", "widgets", "http://127.0.0.1:" + app.port() + "/webhooks/bitbucket", SECRET,
                        "pullrequest:created", "pullrequest:updated", "pullrequest:comment_created");
                bb.emitEventsFromSeeds(true);
                var pr = bb.openPullRequest("acme", "widgets", "Retry the upload when the network fails",
                        "feature/retries", "main", ann);
                say("3. Ann opened pull request #" + pr.id() + " \"" + pr.title() + "\" (feature/retries -> main).");

                WebhookDelivery delivery = bb.awaitDeliveries(1, Duration.ofSeconds(20)).getFirst();
                say("4. Bitbucket delivered " + delivery.eventKey() + " signed with the webhook secret; bbagent answered "
                        + delivery.finalStatus() + ".");
                Job job = awaitJob(app, Job.QUEUED, Duration.ofSeconds(10));
                say("5. Rule " + job.rule() + " matched and queued job " + job.id() + " for " + job.thread()
                        + "; its 30 s debounce is skipped for the demo.");
                clock.skip(Duration.ofMinutes(1));
                app.pool().wake();
                job = awaitJob(app, Job.SUCCEEDED, Duration.ofSeconds(60));
                say("6. The agent ran: " + job.result() + ".");
                transcript(app);
                List<CommentView> comments = bb.comments("acme", "widgets", pr.id());
                say("");
                say("The comment bbagent posted on pull request #" + pr.id() + " as " + bot.displayName() + ":");
                comments.forEach(c -> say(indent(c.raw())));
                return comments.isEmpty() ? 1 : 0;
            }
        }
    }

    private static void seed(FakeBitbucket bb, Account bot, Account ann) {
        bb.workspace("acme").admin(bot).member(ann).repo("widgets")
                .branch("main", Map.of("README.md", "# Widgets\n", "upload.py", "def upload(data):\n    send(data)\n"))
                .branch("feature/retries", Map.of(
                        "upload.py", "def upload(data):\n    while True:\n        try:\n            return send(data)\n"
                                + "        except NetworkError:\n            pass\n",
                        "tests/test_upload.py", "def test_upload_retries():\n    assert upload(b'x')\n"));
    }

    private static Job awaitJob(App app, String state, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var jobs = app.jobs().jobs(null, null, null, 1);
            if (!jobs.isEmpty() && jobs.getFirst().state().equals(state)) {
                return jobs.getFirst();
            }
            if (!jobs.isEmpty() && jobs.getFirst().state().equals(Job.DEAD)) {
                throw new IllegalStateException("the demo job failed: " + jobs.getFirst().lastError());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the demo job did not reach " + state + " in " + timeout.toSeconds() + " s");
    }

    private void transcript(App app) {
        var runs = new Runs(app.history());
        var summary = runs.list("acme/widgets", null, null, 1).getFirst();
        HistoryRecords.RunDetail run = runs.get(summary.repo() + "/" + summary.id()).orElseThrow();
        say("");
        say("Transcript of run acme/widgets/" + summary.id() + " (bin/bbagent runs show acme/widgets/" + summary.id()
                + " shows the same from the data folder):");
        for (HistoryRecords.Message m : run.messages()) {
            String text = m.content() == null ? "" : m.content();
            if (m.toolCalls() != null) {
                text = (text.isEmpty() ? "" : text + "\n") + "calls " + m.toolCalls();
            }
            if (text.length() > 600) {
                text = text.substring(0, 600) + " [...]";
            }
            say("  [" + m.role() + "] " + text.replace("\n", "\n    "));
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }

    /** The rules file shipped in the jar (a copy of config/rules.yaml) for when the demo runs elsewhere. */
    private static Path bundledRules(Path dir) throws IOException {
        try (InputStream in = Demo.class.getResourceAsStream("/dev/bbagent/demo/rules.yaml")) {
            if (in == null) {
                throw new IOException("config/rules.yaml is not in the current folder and not bundled in this build");
            }
            Path p = dir.resolve("rules.yaml");
            Files.copy(in, p);
            return p;
        }
    }
}
