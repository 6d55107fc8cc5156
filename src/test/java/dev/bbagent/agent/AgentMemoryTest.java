package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.openai.Reply;
import dev.bbagent.store.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run knows from before: earlier attempts' writes, the thread's conversation; and what it may spend. */
class AgentMemoryTest {

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

    private static final String COMMENT = args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'Review: fine'}");

    private static String rules(String extra) {
        return """
                version: 1
                defaults: {model: gpt-test}
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                pricing:
                  gpt-test: {input: 1000.0, output: 1000.0}
                rules:
                  - name: review
                    on: [pull_request.opened, pull_request.updated]
                    tools: [bitbucket.create_pull_request_comment, bitbucket.get_file]
                    prompt: "Review #{{pull_request.id}} at {{event.kind}}"
                """ + extra;
    }

    @Test
    void aRetriedJobIsToldWhichWritesEarlierAttemptsMade() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__create_pull_request_comment", COMMENT),
                Reply.error(500, "upstream crashed"), Reply.error(500, "upstream crashed"), Reply.error(500, "upstream crashed"),
                Reply.text("The comment from the earlier attempt is enough."));
        h.start(rules(""));

        h.openPullRequest();
        Job failed = h.awaitJob(Job.RETRYING);
        assertThat(failed.lastError()).contains("500");
        h.skipAhead(Duration.ofMinutes(1));
        Job done = h.awaitJob(Job.SUCCEEDED);

        assertThat(done.attempts()).isEqualTo(2);
        String note = h.llm.lastRequest().lastUserText().orElseThrow();
        assertThat(note).startsWith("This is attempt 2 of this task").contains("bitbucket.create_pull_request_comment")
                .contains("Review: fine");
        assertThat(h.bb.comments("acme", "widgets", 1)).hasSize(1);
        assertThat(h.runs()).extracting(r -> r.status()).containsExactly("completed", "failed");
    }

    @Test
    void aRunSeesTheEarlierConversationOfItsThread() throws Exception {
        h.llm.enqueue(Reply.text("First review: rename x."), Reply.text("Second review: looks better."));
        h.start(rules(""));

        var pr = h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        h.bb.pullRequest("acme", "widgets", pr.id()).update(h.alice, "Add x, renamed", null);
        h.llm.awaitRequests(2, Duration.ofSeconds(15));
        h.awaitJob(Job.SUCCEEDED);

        var messages = h.llm.requests().get(1).messages();
        var texts = messages.stream().map(m -> m.get("role").asText() + ": " + m.get("content").asText()).toList();
        assertThat(texts).containsSubsequence("user: Review #1 at pull_request.opened",
                "assistant: First review: rename x.", "user: Review #1 at pull_request.updated");
    }

    @Test
    void memoryNoneStartsFresh() throws Exception {
        h.llm.enqueue(Reply.text("one"), Reply.text("two"));
        h.start(rules("    memory: none\n"));

        var pr = h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        h.bb.pullRequest("acme", "widgets", pr.id()).update(h.alice, "again", null);
        h.llm.awaitRequests(2, Duration.ofSeconds(15));

        assertThat(h.llm.requests().get(1).messages()).hasSize(1);
    }

    @Test
    void thePerRunBudgetEndsTheRunPartial() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'README.md'}"))
                        .withUsage(1000, 100, 0),
                Reply.text("Stopping: budget."));
        var server = h.start(rules("    budget: {per_run_usd: 0.5}\n"));

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).startsWith("partial (budget)");
        assertThat(h.llm.lastRequest().lastUserText().orElseThrow()).contains("spending budget");
        assertThat(h.lastRun().run().costUsd()).isGreaterThan(0.5);
        assertThat(server.metric("bbagent_agent_limits_total", "limit=\"budget\",rule=\"review\"")).isEqualTo(1.0);
    }

    @Test
    void theDailyBudgetOfARepositoryDefersItsJobsToTheNextUtcDay() throws Exception {
        h.llm.enqueue(Reply.text("expensive").withUsage(2000, 0, 0));
        var server = h.start(rules("").replace("pricing:", "budget: {daily_usd: 1.0}\npricing:"));

        var pr = h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        h.bb.pullRequest("acme", "widgets", pr.id()).update(h.alice, "more", null);
        Job deferred = awaitDeferred();

        assertThat(deferred.result()).contains("daily budget of $1.0 for acme/widgets spent");
        assertThat(deferred.notBefore()).isAfter(h.clock.instant());
        assertThat(deferred.attempts()).isZero();
        assertThat(server.metric("bbagent_budget_deferrals_total", "rule=\"review\"")).isEqualTo(1.0);
    }

    private Job awaitDeferred() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            Job j = h.server.app().jobs().jobs(null, null, null, 1).getFirst();
            if (j.state().equals(Job.QUEUED) && j.result() != null) {
                return j;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no deferred job");
    }

    @Test
    void secretsAreRedactedBeforeTheyReachTheHistory() throws Exception {
        h.bb.workspace("acme").repo("widgets").commit("main", Map.of("deploy.txt",
                "token " + AgentHarness.BB_TOKEN + "\nAuthorization: Bearer abcdefghijklmnopqrstuvwxyz0123\n"), "leak", h.alice);
        h.llm.enqueue(Reply.toolCall("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'deploy.txt'}")),
                Reply.text("The file holds " + AgentHarness.BB_TOKEN));
        h.start(rules(""));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        var run = h.runs().getFirst();
        String stored = h.server.http().get("/api/runs/acme/widgets/" + run.id(), "Authorization", "Bearer test-admin-token")
                .body();
        assertThat(stored).doesNotContain(AgentHarness.BB_TOKEN).doesNotContain("abcdefghijklmnopqrstuvwxyz0123")
                .contains("[REDACTED]");
    }
}
