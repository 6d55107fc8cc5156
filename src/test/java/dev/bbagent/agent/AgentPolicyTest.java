package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.openai.RecordedRequest;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.fake.openai.ToolCall;
import dev.bbagent.store.Job;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safety net with no approval step: every denial is explained to the model, recorded and counted. */
class AgentPolicyTest {

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

    private static String rules(String extra) {
        return """
                version: 1
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                rules:
                  - name: review
                    on: [pull_request.opened]
                    tools: [bitbucket.get_pull_request, bitbucket.create_pull_request_comment, bitbucket.delete_repository,
                            bitbucket.get_file]
                    prompt: "Review #{{pull_request.id}}"
                """ + extra;
    }

    private String resultOfFirstCall() {
        List<RecordedRequest.ToolResult> results = h.llm.requests().get(1).toolResults();
        return results.getFirst().output();
    }

    @Test
    void aToolOutsideTheAllowlistIsNeitherOfferedNorRun() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__create_branch", args("{'workspace':'acme','repo_slug':'widgets','name':'x','target':'main'}")),
                Reply.text("ok"));
        var server = h.start(rules(""));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(h.llm.requests().getFirst().toolNames()).doesNotContain("bitbucket__create_branch");
        assertThat(resultOfFirstCall()).contains("denied").contains("no tool named 'bitbucket__create_branch'");
        assertThat(h.bb.branches("acme", "widgets")).doesNotContainKey("x");
        assertThat(server.metric("bbagent_tool_calls_total", "outcome=\"denied\",server=\"unknown\",tool=\"bitbucket__create_branch\""))
                .isEqualTo(1.0);
    }

    @Test
    void aDestructiveToolIsDeniedUnlessTheRuleAllowsIt() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__delete_repository", args("{'workspace':'acme','repo_slug':'widgets'}")),
                Reply.text("could not"));
        var server = h.start(rules(""));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(resultOfFirstCall()).contains("can delete or overwrite data").contains("allow_destructive");
        assertThat(h.bb.hasRepository("acme", "widgets")).isTrue();
        assertThat(h.lastRun().toolCalls()).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo("denied");
            assertThat(t.decision()).contains("allow_destructive");
        });
        assertThat(server.metric("bbagent_tool_calls_total", "outcome=\"denied\",server=\"bitbucket\",tool=\"delete_repository\""))
                .isEqualTo(1.0);
    }

    @Test
    void theScopeGuardBlocksACommentOnAnotherPullRequestOrRepository() throws Exception {
        h.bb.openPullRequest("acme", "widgets", "Other", "feature/x", "main", h.alice);
        h.llm.enqueue(Reply.toolCalls(
                        ToolCall.of("bitbucket__create_pull_request_comment",
                                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'wrong PR'}")),
                        ToolCall.of("bitbucket__create_pull_request_comment",
                                args("{'workspace':'acme','repo_slug':'gadgets','pull_request_id':2,'content':'wrong repo'}")),
                        ToolCall.of("bitbucket__create_pull_request_comment",
                                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':2,'content':'right one'}"))),
                Reply.text("done"));
        h.start(rules(""));

        h.openPullRequest(); // pull request #2 triggers the run
        h.awaitJob(Job.SUCCEEDED);

        var results = h.llm.requests().get(1).toolResults();
        assertThat(results.get(0).output()).contains("scope guard").contains("pull request 1 is not this event's pull request 2");
        assertThat(results.get(1).output()).contains("scope guard").contains("repository 'gadgets'");
        assertThat(h.bb.comments("acme", "widgets", 1)).isEmpty();
        assertThat(h.bb.comments("acme", "widgets", 2)).extracting(c -> c.raw()).containsExactly("right one");
    }

    @Test
    void theWriteBudgetStopsTheThirdChangeOfARun() throws Exception {
        String comment = "{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'n%d'}";
        h.llm.enqueue(Reply.toolCalls(ToolCall.of("bitbucket__create_pull_request_comment", args(comment.formatted(1))),
                        ToolCall.of("bitbucket__create_pull_request_comment", args(comment.formatted(2))),
                        ToolCall.of("bitbucket__create_pull_request_comment", args(comment.formatted(3)))),
                Reply.text("done"));
        h.start(rules("    max_writes: 2\n"));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(h.bb.comments("acme", "widgets", 1)).hasSize(2);
        assertThat(h.llm.requests().get(1).toolResults()).filteredOn(r -> r.output().contains("max_writes: 2")).hasSize(1);
    }

    @Test
    void theBotsOwnCommentsNeverTriggerARunEvenWithAllowBots() throws Exception {
        h.llm.fallback(req -> req.toolResults().isEmpty()
                ? Reply.toolCall("bitbucket__create_pull_request_comment",
                        args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'echo'}"))
                : Reply.text("done"));
        h.start("""
                version: 1
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                rules:
                  - name: echo
                    on: [pull_request.comment_created]
                    allow_bots: true
                    tools: [bitbucket.create_pull_request_comment]
                    prompt: "Answer on #{{pull_request.id}}"
                """);
        h.openPullRequest();
        h.bb.pullRequest("acme", "widgets", 1).comment(h.alice, "hello bot");

        h.awaitJob(Job.SUCCEEDED);
        h.bb.awaitDeliveries(3, java.time.Duration.ofSeconds(10)); // created, alice's comment, the bot's comment
        Thread.sleep(300);

        assertThat(h.server.app().jobs().jobs(null, null, null, 10)).hasSize(1);
        assertThat(h.bb.comments("acme", "widgets", 1)).extracting(c -> c.raw()).containsExactly("hello bot", "echo");
    }

    @Test
    void theLoopBreakerPausesTheRuleForAThreadWithTooManyRecentChanges() throws Exception {
        h.llm.fallback(req -> req.toolResults().isEmpty()
                ? Reply.toolCall("bitbucket__create_pull_request_comment",
                        args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'answer'}"))
                : Reply.text("done"));
        var server = h.start("""
                version: 1
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                rules:
                  - name: chatty
                    on: [pull_request.comment_created]
                    max_thread_writes_per_hour: 2
                    tools: [bitbucket.create_pull_request_comment]
                    prompt: "Answer on #{{pull_request.id}}"
                """);
        h.openPullRequest();

        for (int i = 1; i <= 3; i++) {
            h.bb.pullRequest("acme", "widgets", 1).comment(h.alice, "question " + i);
            awaitJobs(server, i);
        }

        assertThat(server.metric("bbagent_loop_breaker_trips_total", "rule=\"chatty\"")).isEqualTo(1.0);
        assertThat(h.bb.comments("acme", "widgets", 1)).filteredOn(c -> c.raw().equals("answer")).hasSize(2);
        assertThat(h.runs().getFirst().status()).isEqualTo("skipped");
        assertThat(h.runs().getFirst().error()).contains("loop breaker: 2 changes on acme/widgets#pr-1 in the last hour");
        assertThat(server.app().jobs().jobs(null, null, null, 1).getFirst().result()).startsWith("skipped: loop breaker");
    }

    private static void awaitJobs(dev.bbagent.testing.TestServer server, int succeeded) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (server.app().jobs().countsByState().get(Job.SUCCEEDED) < succeeded) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(server.app().jobs().countsByState().toString());
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aDryRunRecordsWritesWithoutMakingThem() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__create_pull_request_comment",
                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'would post'}")),
                Reply.text("done"));
        var server = h.start(rules("    dry_run: true\n"));

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).endsWith("(dry run)");
        assertThat(h.bb.comments("acme", "widgets", 1)).isEmpty();
        assertThat(resultOfFirstCall()).startsWith("not executed (dry run)").contains("would post");
        assertThat(h.lastRun().toolCalls()).singleElement().satisfies(t -> assertThat(t.outcome()).isEqualTo("dry_run"));
        assertThat(h.llm.requests().getFirst().messages().getFirst().get("content").asText()).doesNotContain("dry run");
        assertThat(server.metric("bbagent_tool_calls_total",
                "outcome=\"dry_run\",server=\"bitbucket\",tool=\"create_pull_request_comment\"")).isEqualTo(1.0);
    }

    @Test
    void theGlobalDryRunSettingAppliesToEveryRule() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__create_pull_request_comment",
                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'x'}")), Reply.text("done"));
        h.start(rules(""), s -> s.withDryRun(true));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(h.bb.comments("acme", "widgets", 1)).isEmpty();
    }
}
