package dev.bbagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.Runs;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.Job;
import dev.bbagent.testing.TestServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that does not end by itself: SIGTERM while it waits on the model (the job goes back to the queue and
 * its run says so honestly), or its process killed (the run is closed when the job is taken back).
 */
class AgentShutdownTest {

    @TempDir
    Path dir;

    AgentHarness h;

    @BeforeEach
    void start() {
        h = new AgentHarness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aRunReleasedByShutdownIsRecordedAsInterruptedNotAsAModelFailure() throws Exception {
        // The model API is up, only slow: the answer would come long after the shutdown grace.
        h.llm.enqueue(Reply.text("too late").after(Duration.ofSeconds(30)));
        var server = h.start(AgentRunTest.RULES, s -> s.withWorkers(2, Duration.ofMillis(200)));
        h.openPullRequest();
        h.llm.awaitRequests(1, Duration.ofSeconds(20));

        server.app().pool().shutdown(Duration.ofMillis(200));

        Job job = server.app().jobs().jobs(null, null, null, 10).getFirst();
        assertThat(job.state()).isEqualTo(Job.QUEUED);
        assertThat(job.attempts()).isZero();
        var run = h.runs().getFirst();
        assertThat(run.status()).isEqualTo("interrupted");
        assertThat(run.error()).isEqualTo(WorkerPool.RELEASED);
        assertThat(run.finishedAt()).isNotNull();

        MeterRegistry registry = server.app().metrics().registry();
        // No model failure counted for it: not by outcome, not by the circuit breaker.
        assertThat(registry.find("bbagent.llm.requests").counters()).allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.find("bbagent.agent.runs").tag("status", "failed").counter()).isNull();
        assertThat(registry.find("bbagent.agent.runs").tag("status", "interrupted").counter().count()).isEqualTo(1);
        // One attempt, one result, and it is not a crash.
        List<Counter> attempts = List.copyOf(registry.find("bbagent.job.attempts").counters());
        assertThat(attempts).singleElement().satisfies(c -> {
            assertThat(c.getId().getTag("result")).isEqualTo("interrupted");
            assertThat(c.count()).isEqualTo(1);
        });
        assertThat(registry.find("resilience4j.circuitbreaker.calls").tag("kind", "failed").functionCounters())
                .allSatisfy(c -> assertThat(c.count()).isZero());
    }
    @Test
    void aRestartAfterAKillClosesTheKilledRunAsAbandonedAndRunsTheJobAgain() throws Exception {
        h.llm.enqueue(Reply.text("never read").after(Duration.ofSeconds(30)), Reply.text("Reviewed."));
        h.start(AgentRunTest.RULES);
        h.openPullRequest();
        h.llm.awaitRequests(1, Duration.ofSeconds(20));

        // The first process is as good as killed: it never renews or finishes. A new one with the same
        // instance id starts on the same data folder and takes its job back at once.
        Settings s = Settings.forTests(dir.resolve("data"), dir.resolve("rules.yaml"), TestServer.SECRET)
                .withOpenAi(h.llm.baseUrl());
        try (TestServer restarted = new TestServer(s, h.env, null, h.clock)) {
            Job job = AgentHarness.awaitJob(restarted, Job.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(2); // the killed attempt counts

            List<HistoryRecords.RunSummary> runs = new Runs(restarted.app().history()).list("acme/widgets", null, null, 10)
                    .reversed();
            assertThat(runs).extracting(HistoryRecords.RunSummary::attempt).containsExactly(1, 2);
            assertThat(runs.get(0).status()).isEqualTo("abandoned");
            assertThat(runs.get(0).error()).startsWith("the process running it stopped (crash or kill) at about ");
            assertThat(runs.get(0).finishedAt()).isNotNull();
            assertThat(runs.get(1).status()).isEqualTo("completed");
            assertThat(restarted.metric("bbagent_jobs_recovered_total", "")).isEqualTo(1);
        }
    }
}
