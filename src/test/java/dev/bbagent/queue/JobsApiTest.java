package dev.bbagent.queue;

import static dev.bbagent.cli.CliRunner.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.store.Job;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The queue through the real server: intake to worker, the jobs admin API, replay, restart, metrics, CLI. */
class JobsApiTest {

    private static final String[] AUTH = {"Authorization", "Bearer test-admin-token"};

    @TempDir
    Path dir;

    private Path rules;
    private final byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

    @BeforeEach
    void rules() throws Exception {
        rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                version: 1
                rules:
                  - {name: review, on: [pull_request.opened], prompt: x, retries: 1}
                """);
    }

    private Settings settings() {
        return Settings.forTests(dir.resolve("data"), rules, TestServer.SECRET);
    }

    private static Job awaitState(TestServer s, long id, String state) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Job j = s.app().jobs().job(id).orElseThrow();
            if (j.state().equals(state)) {
                return j;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " is " + j.state() + ", expected " + state);
            }
            Thread.sleep(5);
        }
    }

    private static long onlyJob(TestServer s, String delivery) {
        return s.app().jobs().jobsOfDelivery(delivery).getLast().id();
    }

    @Test
    void anAcceptedDeliveryRunsItsJobRightAway() throws Exception {
        try (TestServer s = new TestServer(settings(), ctx -> JobOutcome.success("ran " + ctx.job().rule()))) {
            s.deliver(Edition.CLOUD, "pullrequest:created", "run-1", body);

            Job j = awaitState(s, onlyJob(s, "run-1"), Job.SUCCEEDED);

            assertThat(j.result()).isEqualTo("ran review");
            assertThat(s.metric("bbagent_jobs_total", "outcome=\"succeeded\",rule=\"review\"")).isEqualTo(1.0);
            assertThat(s.metric("bbagent_job_attempts_total", "result=\"success\",rule=\"review\"")).isEqualTo(1.0);
            assertThat(s.http().get("/metrics").body()).contains("bbagent_job_wait_seconds_count{rule=\"review\"} 1")
                    .contains("bbagent_job_duration_seconds_count{rule=\"review\"} 1").contains("bbagent_jobs_queued")
                    .contains("bbagent_jobs_running").contains("bbagent_jobs_dead");
        }
    }

    @Test
    void deadJobsAreListedRetriedAndReplayedThroughTheApi() throws Exception {
        ConcurrentHashMap<Long, Integer> calls = new ConcurrentHashMap<>();
        try (TestServer s = new TestServer(settings(), ctx -> calls.merge(ctx.job().id(), 1, Integer::sum) == 1
                ? JobOutcome.permanentFailure("the tool said no")
                : JobOutcome.success("second time lucky"))) {
            s.deliver(Edition.CLOUD, "pullrequest:created", "api-1", body);
            long id = onlyJob(s, "api-1");
            awaitState(s, id, Job.DEAD);
            assertThat(s.metric("bbagent_jobs_dead", "")).as("counted at scrape time, not by a timer").isEqualTo(1.0);

            Http.Response dead = s.http().get("/api/jobs?state=dead", AUTH);
            assertThat(dead.json().at("/jobs/0/id").asLong()).isEqualTo(id);
            assertThat(dead.json().at("/jobs/0/last_error").asText()).isEqualTo("the tool said no");
            assertThat(s.http().get("/api/jobs/" + id, AUTH).json().get("delivery_id").asText()).isEqualTo("api-1");

            Http.Response retried = s.http().post("/api/jobs/" + id + "/retry", new byte[0], AUTH);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(awaitState(s, id, Job.SUCCEEDED).result()).isEqualTo("second time lucky");
            assertThat(s.http().post("/api/jobs/" + id + "/retry", new byte[0], AUTH).status()).isEqualTo(409);

            Http.Response replay = s.http().post("/api/deliveries/api-1/replay", new byte[0], AUTH);
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.json().get("rules").get(0).asText()).isEqualTo("review");
            long again = replay.json().get("jobs").get(0).asLong();
            assertThat(again).isNotEqualTo(id);
            awaitState(s, again, Job.DEAD);
            assertThat(s.http().post("/api/deliveries/nope/replay", new byte[0], AUTH).status()).isEqualTo(404);
            assertThat(s.http().get("/api/jobs?state=bogus", AUTH).status()).isEqualTo(400);
        }
    }

    @Test
    void aQueuedJobCanBeCancelled() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (TestServer s = new TestServer(settings().withWorkers(1, Duration.ofSeconds(1)), ctx -> {
            release.await();
            return JobOutcome.success("ok");
        })) {
            s.deliver(Edition.CLOUD, "pullrequest:created", "c-1", body);
            s.deliver(Edition.DATACENTER, "pr:opened", "c-2", Fixtures.named("datacenter/pr-opened__bbs-plugin.json").bytes());
            long running = onlyJob(s, "c-1");
            long queued = onlyJob(s, "c-2");
            awaitState(s, running, Job.RUNNING);

            Http.Response r = s.http().post("/api/jobs/" + queued + "/cancel", new byte[0], AUTH);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("state").asText()).isEqualTo("cancelled");
            assertThat(s.http().post("/api/jobs/" + queued + "/cancel", new byte[0], AUTH).status()).isEqualTo(409);
            release.countDown();
        }
    }

    @Test
    void aJobInterruptedByARestartRunsAfterItOnTheSameDataFolder() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        long id;
        try (TestServer first = new TestServer(settings().withWorkers(1, Duration.ofMillis(200)), ctx -> {
            started.countDown();
            new CountDownLatch(1).await();
            return JobOutcome.success("never");
        })) {
            first.deliver(Edition.CLOUD, "pullrequest:created", "r-1", body);
            id = onlyJob(first, "r-1");
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        }
        try (TestServer second = new TestServer(settings(), ctx -> JobOutcome.success("after restart"))) {
            Job j = awaitState(second, id, Job.SUCCEEDED);

            assertThat(j.result()).isEqualTo("after restart");
            assertThat(j.attempts()).isEqualTo(1);
        }
    }

    @Test
    void theCliListsShowsRetriesCancelsAndReplays() throws Exception {
        try (TestServer s = new TestServer(settings(), ctx -> JobOutcome.permanentFailure("no"))) {
            s.deliver(Edition.CLOUD, "pullrequest:created", "cli-1", body);
            awaitState(s, onlyJob(s, "cli-1"), Job.DEAD);
        }
        String data = dir.resolve("data").toString();
        long id;
        String[] list = run("jobs", "list", "--data-dir", data);
        assertThat(list[0]).isEqualTo("0");
        assertThat(list[1]).contains("dead").contains("review").contains("amuniz/test-repos#pr-735");
        id = Long.parseLong(list[1].lines().skip(1).findFirst().orElseThrow().trim().split("\\s+")[0]);

        String[] show = run("jobs", "show", Long.toString(id), "--data-dir", data);
        assertThat(show[1]).contains("\"last_error\" : \"no\"");
        assertThat(run("jobs", "retry", Long.toString(id), "--data-dir", data)[1]).contains("job " + id + " queued again");
        assertThat(run("jobs", "cancel", Long.toString(id), "--data-dir", data)[1]).contains("cancelled");
        String[] again = run("jobs", "cancel", Long.toString(id), "--data-dir", data);
        assertThat(again[0]).isEqualTo("1");
        assertThat(again[2]).contains("has already finished (cancelled)");

        String[] replay = run("replay", "cli-1", "--data-dir", data, "--rules", rules.toString());
        assertThat(replay[0]).as(replay[2]).isEqualTo("0");
        assertThat(replay[1]).contains("queued jobs [").contains("for rules [review]");
        assertThat(run("replay", "nope", "--data-dir", data, "--rules", rules.toString())[2]).contains("no delivery with id nope");
        assertThat(run("jobs", "list", "--data-dir", dir.resolve("elsewhere").toString())[2]).contains("no bbagent database");
    }
}
