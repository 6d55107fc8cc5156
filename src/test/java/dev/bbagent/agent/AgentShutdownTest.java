package dev.bbagent.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.openai.Reply;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.Job;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM while a run waits on the model: the job goes back to the queue and its run says so honestly. */
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
}
