package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.openai.RecordedRequest;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.fake.openai.ToolCall;
import dev.bbagent.store.Job;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Full runs: webhook -> rule -> job -> agent (scripted model) -> built-in tools -> fake Bitbucket. */
class AgentRunTest {

    static final String RULES = """
            version: 1
            defaults: {model: gpt-test, max_turns: 6}
            mcp_servers:
              bitbucket: {builtin: bitbucket}
            pricing:
              gpt-test: {input: 1.0, output: 4.0}
            rules:
              - name: review
                on: [pull_request.opened]
                instructions: "You review {{repository.full_name}}."
                tools: [bitbucket.get_pull_request, bitbucket.get_file, bitbucket.create_pull_request_comment,
                        bitbucket.delete_repository]
                prompt: "Review pull request #{{pull_request.id}} {{pull_request.title}}"
            """;

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
    void aFullRunCallsToolsAndPostsTheComment() throws Exception {
        h.llm.enqueue(
                Reply.toolCall("bitbucket__get_pull_request", args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1}"))
                        .withUsage(1000, 50, 200),
                Reply.toolCall("bitbucket__create_pull_request_comment",
                        args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'Looks good to me'}")),
                Reply.text("I posted one review comment."));
        var server = h.start(RULES);

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).startsWith("completed, 3 turns, 2 tool calls, 1 changes");
        assertThat(h.bb.comments("acme", "widgets", 1)).singleElement()
                .satisfies(c -> {
                    assertThat(c.raw()).isEqualTo("Looks good to me");
                    assertThat(c.user().nickname()).isEqualTo("bbagent");
                });
        RecordedRequest first = h.llm.requests().getFirst();
        assertThat(first.model()).hasValue("gpt-test");
        assertThat(first.toolNames()).containsExactlyInAnyOrder("bitbucket__get_pull_request", "bitbucket__get_file",
                "bitbucket__create_pull_request_comment", "bitbucket__delete_repository");
        assertThat(first.messages().get(0).get("role").asText()).isEqualTo("system");
        assertThat(first.messages().get(0).get("content").asText()).isEqualTo("You review acme/widgets.");
        assertThat(first.lastUserText()).hasValue("Review pull request #1 Add x");
        RecordedRequest second = h.llm.requests().get(1);
        assertThat(second.toolResults()).singleElement().satisfies(r -> assertThat(r.output()).contains("Add x"));

        var run = h.lastRun();
        assertThat(run.run().status()).isEqualTo("completed");
        assertThat(run.run().turns()).isEqualTo(3);
        assertThat(run.run().writes()).isEqualTo(1);
        assertThat(run.finalText()).isEqualTo("I posted one review comment.");
        assertThat(run.toolCalls()).extracting(t -> t.tool() + ":" + t.outcome())
                .containsExactly("get_pull_request:ok", "create_pull_request_comment:ok");
        assertThat(run.messages()).extracting(m -> m.role())
                .containsExactly("system", "user", "assistant", "tool", "assistant", "tool", "assistant");
        assertThat(run.run().promptTokens()).isGreaterThanOrEqualTo(1000);
        assertThat(run.run().costUsd()).isPositive();
        assertThat(server.metric("bbagent_agent_runs_total", "rule=\"review\",status=\"completed\"")).isEqualTo(1.0);
        assertThat(server.metric("bbagent_tool_calls_total",
                "outcome=\"ok\",server=\"bitbucket\",tool=\"create_pull_request_comment\"")).isEqualTo(1.0);
        assertThat(server.metric("bbagent_llm_requests_total", "model=\"gpt-test\",outcome=\"ok\"")).isEqualTo(3.0);
        assertThat(server.metric("bbagent_llm_tokens_total", "model=\"gpt-test\",type=\"cached\"")).isEqualTo(200.0);
        assertThat(server.metric("bbagent_llm_cost_usd_total", "model=\"gpt-test\"")).isPositive();
    }

    @Test
    void runsAreListedAndShownThroughTheApiAndTheCli() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'README.md'}")),
                Reply.text("Read it."));
        var server = h.start(RULES);
        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        String[] auth = {"Authorization", "Bearer test-admin-token"};

        var list = server.http().get("/api/runs?rule=review", auth).json();
        var shown = server.http().get("/api/runs/acme/widgets/1", auth).json();
        String data = dir.resolve("data").toString();
        String[] cliList = dev.bbagent.cli.CliRunner.run("runs", "list", "--data-dir", data);
        String[] cliShow = dev.bbagent.cli.CliRunner.run("runs", "show", "acme/widgets/1", "--data-dir", data);

        assertThat(list.at("/runs/0/ref").asText()).isEqualTo("acme/widgets/1");
        assertThat(list.at("/runs/0/run/status").asText()).isEqualTo("completed");
        assertThat(shown.get("final_text").asText()).isEqualTo("Read it.");
        assertThat(shown.get("messages")).hasSize(5);
        assertThat(shown.at("/tool_calls/0/tool").asText()).isEqualTo("get_file");
        assertThat(server.http().get("/api/runs/acme/widgets/99", auth).status()).isEqualTo(404);
        assertThat(server.http().get("/api/runs/nonsense", auth).status()).isEqualTo(400);
        assertThat(cliList[1]).contains("acme/widgets/1").contains("completed").contains("review");
        assertThat(cliShow[1]).contains("rule review").contains("── tool").contains("bitbucket.get_file");
    }

    @Test
    void theSameDeliveryTwiceProducesOneRunAndOneComment() throws Exception {
        h.llm.enqueue(Reply.toolCall("bitbucket__create_pull_request_comment",
                args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'once'}")), Reply.text("done"));
        var server = h.start(RULES);
        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        var delivery = h.bb.deliveries().getFirst();

        var again = server.http().post("/webhooks/bitbucket", delivery.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                delivery.headers().entrySet().stream().flatMap(e -> java.util.stream.Stream.of(e.getKey(), e.getValue()))
                        .filter(x -> !x.equalsIgnoreCase("Content-Length") && !x.equalsIgnoreCase("Host"))
                        .toArray(String[]::new));

        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(server.app().jobs().jobs(null, null, null, 10)).hasSize(1);
        assertThat(h.bb.comments("acme", "widgets", 1)).extracting(c -> c.raw()).containsExactly("once");
    }

    @Test
    void upsertBotCommentEditsTheRulesEarlierCommentInsteadOfAddingOne() throws Exception {
        String upsert = "{'workspace':'acme','repo_slug':'widgets','pull_request_id':1,'content':'%s'}";
        h.llm.enqueue(Reply.toolCall("bitbucket__upsert_bot_comment", args(upsert.formatted("first review"))),
                Reply.text("posted"),
                Reply.toolCall("bitbucket__upsert_bot_comment", args(upsert.formatted("second review"))),
                Reply.text("updated"));
        h.start(RULES.replace("on: [pull_request.opened]", "on: [pull_request.opened, pull_request.updated]\n"
                + "    supersede: false").replace("bitbucket.delete_repository]", "bitbucket.upsert_bot_comment]"));
        var pr = h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);
        h.bb.pullRequest("acme", "widgets", pr.id()).update(h.alice, "Add x (v2)", null);
        h.llm.awaitRequests(4, Duration.ofSeconds(15));
        h.awaitJob(Job.SUCCEEDED);

        var comments = h.bb.comments("acme", "widgets", 1);
        assertThat(comments).singleElement().satisfies(c -> {
            assertThat(c.raw()).contains("second review").contains("bbagent:key=review").doesNotContain("first review");
        });
    }

    @Test
    void aToolErrorGoesBackToTheModelAndTheRunGoesOn() throws Exception {
        h.llm.enqueue(
                Reply.toolCall("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'no/such/file.py'}")),
                Reply.text("The file does not exist."));
        h.start(RULES);

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).startsWith("completed");
        assertThat(h.llm.requests().get(1).toolResults()).singleElement()
                .satisfies(r -> assertThat(r.output()).startsWith("error: ").contains("404"));
        assertThat(h.lastRun().toolCalls()).singleElement().satisfies(t -> assertThat(t.outcome()).isEqualTo("error"));
    }

    @Test
    void parallelToolCallsInOneTurnAllRun() throws Exception {
        h.llm.enqueue(
                Reply.toolCalls(ToolCall.of("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'README.md'}")),
                        ToolCall.of("bitbucket__get_file", args("{'workspace':'acme','repo_slug':'widgets','path':'src/app.py'}")),
                        ToolCall.of("bitbucket__get_pull_request", args("{'workspace':'acme','repo_slug':'widgets','pull_request_id':1}"))),
                Reply.text("Read three things."));
        h.start(RULES);

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        var results = h.llm.requests().get(1).toolResults();
        assertThat(results).extracting(RecordedRequest.ToolResult::callId).containsExactly("call_1", "call_2", "call_3");
        assertThat(results.get(0).output()).contains("# Widgets");
        assertThat(results.get(1).output()).contains("print('hi')");
    }

    @Test
    void theTurnLimitEndsTheRunPartialWithAWrapUpAnswerKept() throws Exception {
        String read = args("{'workspace':'acme','repo_slug':'widgets','path':'README.md'}");
        h.llm.enqueue(Reply.toolCall("bitbucket__get_file", read), Reply.toolCall("bitbucket__get_file", read),
                Reply.text("Out of turns: I read the README twice; nothing else done."));
        h.start(RULES.replace("max_turns: 6", "max_turns: 2"));

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).startsWith("partial (max_turns)");
        RecordedRequest wrapUp = h.llm.requests().get(2);
        assertThat(wrapUp.toolNames()).isEmpty();
        assertThat(wrapUp.lastUserText().orElseThrow()).contains("You cannot call tools any more");
        var run = h.lastRun();
        assertThat(run.run().status()).isEqualTo("partial");
        assertThat(run.run().partialReason()).isEqualTo("max_turns");
        assertThat(run.finalText()).isEqualTo("Out of turns: I read the README twice; nothing else done.");
    }

    @Test
    void theTimeoutEndsTheRunPartialWithAWrapUpAnswerKept() throws Exception {
        h.llm.enqueue(Reply.text("too slow").after(Duration.ofSeconds(3)), Reply.text("Wrapped up in time."));
        h.start(RULES.replace("max_turns: 6", "max_turns: 6, timeout: 1s, retries: 0"));

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.result()).startsWith("partial (timeout)");
        assertThat(h.lastRun().finalText()).isEqualTo("Wrapped up in time.");
    }

    @Test
    void aRateLimitedModelIsRetriedWithinTheRun() throws Exception {
        h.llm.enqueue(Reply.rateLimited(Duration.ofMillis(50)), Reply.text("Fine after waiting."));
        var server = h.start(RULES);

        h.openPullRequest();
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(job.attempts()).isEqualTo(1);
        assertThat(h.lastRun().finalText()).isEqualTo("Fine after waiting.");
        assertThat(server.metric("bbagent_llm_requests_total", "model=\"gpt-test\",outcome=\"rate_limited\"")).isEqualTo(1.0);
    }

    @Test
    void aModelThatStaysDownFailsTheAttemptAsTransientWithItsRetryAfter() throws Exception {
        h.llm.enqueue(Reply.rateLimited(Duration.ofMinutes(5)));
        h.start(RULES);

        h.openPullRequest();
        Job job = h.awaitJob(Job.RETRYING);

        assertThat(job.lastError()).contains("rate limiting (429)");
        assertThat(job.notBefore()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(4)));
        assertThat(h.lastRun().run().status()).isEqualTo("failed");
    }

    @Test
    void aWrongApiKeyIsAPermanentFailure() throws Exception {
        h.llm.enqueue(Reply.error(401, "Incorrect API key provided"));
        h.start(RULES);

        h.openPullRequest();
        Job job = h.awaitJob(Job.DEAD);

        assertThat(job.lastError()).contains("refused the credentials (401)").contains("OPENAI_API_KEY");
    }
}
