package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bbagent.fake.openai.McpCall;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.mcp.testserver.TestHttpServer;
import dev.bbagent.mcp.testserver.TestStdioServer;
import dev.bbagent.store.Job;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs whose tools come from real MCP servers: stdio, Streamable HTTP, hosted, and the npm reference server. */
class AgentMcpTest {

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

    /** The test MCP server as a stdio subprocess, in rules.yaml terms. */
    private static String stdioServer() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return "{command: \"" + java + "\", args: [\"-Xmx96m\", \"-cp\", \"" + cp + "\", \"" + TestStdioServer.class.getName()
                + "\"]}";
    }

    @Test
    void aRunUsesToolsOfAStdioServerAndSeesItsErrors() throws Exception {
        h.llm.enqueue(Reply.toolCall("notes__echo", args("{'text':'hi'}")), Reply.toolCall("notes__fail", args("{'message':'boom'}")),
                Reply.text("done"));
        h.start("""
                version: 1
                mcp_servers:
                  notes: %s
                rules:
                  - name: notes
                    on: [pull_request.opened]
                    tools: [notes.echo, notes.fail]
                    prompt: "go"
                """.formatted(stdioServer()));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(h.llm.requests().getFirst().toolNames()).containsExactlyInAnyOrder("notes__echo", "notes__fail");
        assertThat(h.llm.requests().get(1).toolResults().getFirst().output()).isEqualTo("echo: hi");
        assertThat(h.llm.requests().get(2).toolResults().getLast().output()).startsWith("error: failed: boom");
        assertThat(h.lastRun().toolCalls()).extracting(t -> t.outcome()).containsExactly("ok", "error");
    }

    /** One rule that may call the test server's {@code slow} tool; {@code ruleSetting} is one more rule line. */
    private static String slowToolRules(String server, String ruleSetting) {
        return """
                version: 1
                mcp_servers:
                  notes: %s
                rules:
                  - name: notes
                    on: [pull_request.opened]
                    tools: [notes.slow]
                    %s
                    prompt: "go"
                """.formatted(server, ruleSetting);
    }

    @Test
    void aServersOwnTimeoutLimitsItsToolCalls() throws Exception {
        h.llm.enqueue(Reply.toolCall("notes__slow", args("{'ms':8000}")), Reply.text("done"));
        h.start(slowToolRules(stdioServer().replace("]}", "], timeout: 2s}"), ""));

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        var call = h.lastRun().toolCalls().getFirst();
        assertThat(call.outcome()).isEqualTo("timeout"); // was BBAGENT_TOOL_TIMEOUT's 60 s: the 8 s call answered
        assertThat(call.durationMs()).isBetween(1_500L, 6_000L);
    }

    @Test
    void aToolCallEndsWithTheRunsTime() throws Exception {
        h.llm.enqueue(Reply.toolCall("notes__slow", args("{'ms':30000}")));
        h.llm.fallback(req -> Reply.text("out of time"));
        h.start(slowToolRules(stdioServer(), "timeout: 4s"));

        long start = System.nanoTime();
        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        var run = h.lastRun();
        assertThat(run.run().status()).isEqualTo("partial");
        assertThat(run.toolCalls()).singleElement().satisfies(t -> assertThat(t.outcome()).isEqualTo("timeout"));
    }

    @Test
    void anMcpServerThatIsDownFailsTheRunAsTransientAndWorksWhenItIsBack() throws Exception {
        TestHttpServer mcp = TestHttpServer.start("k-123456");
        String url = mcp.url().toString();
        mcp.stop();
        h.llm.fallback(req -> req.toolResults().isEmpty() ? Reply.toolCall("remote__add", args("{'a':2,'b':3}"))
                : Reply.text("sum is " + req.toolResults().getFirst().output()));
        var server = h.start("""
                version: 1
                mcp_servers:
                  remote: {url: "%s", headers: {x-api-key: "k-123456"}}
                rules:
                  - name: sums
                    on: [pull_request.opened]
                    tools: [remote.add]
                    prompt: "add"
                """.formatted(url));

        h.openPullRequest();
        Job failed = h.awaitJob(Job.RETRYING);

        assertThat(failed.lastError()).contains("MCP server 'remote' is unavailable");
        assertThat(server.metric("bbagent_mcp_server_up", "server=\"remote\"")).isZero();
        assertThat(server.http().get("/health/ready").json().at("/checks/mcp_servers/status").asText()).isEqualTo("degraded");
        assertThat(server.http().get("/health/ready").status()).isEqualTo(200);

        try (TestHttpServer back = mcp.restart()) {
            Thread.sleep(2_500); // the client's own reconnect backoff, in real time
            h.skipAhead(Duration.ofMinutes(1));
            Job done = h.awaitJob(Job.SUCCEEDED);

            assertThat(done.attempts()).isEqualTo(2);
            assertThat(h.lastRun().finalText()).isEqualTo("sum is 5");
            assertThat(server.metric("bbagent_mcp_server_up", "server=\"remote\"")).isEqualTo(1.0);
        }
    }

    @Test
    void theRunsTimeoutBoundsConnectingToAServerThatNeverAnswers() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept()); // and never answer
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            h.llm.fallback(req -> Reply.text("unreachable"));
            h.start("""
                    version: 1
                    mcp_servers:
                      silent: {url: "http://127.0.0.1:%d/mcp", timeout: 5s}
                    rules:
                      - name: silent
                        on: [pull_request.opened]
                        tools: [silent.echo]
                        timeout: 3s
                        prompt: "go"
                    """.formatted(silent.getLocalPort()));

            long start = System.nanoTime();
            h.openPullRequest();
            Job failed = h.awaitJob(Job.RETRYING); // within 20 s; it was the 60 s connect timeout

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(failed.lastError()).contains("MCP server 'silent' is unavailable")
                    .contains("did not answer the MCP handshake within");
            assertThat(h.llm.requests()).isEmpty();
            for (java.net.Socket s : accepted) {
                s.close();
            }
        }
    }

    @Test
    void aHostedServerIsHandedToTheResponsesApiWithNoApproval() throws Exception {
        h.llm.enqueue(Reply.mcpCall(McpCall.of("composio", "BITBUCKET_CREATE_COMMENT", "{\"pr\":1}", "created"),
                "I commented through Composio."));
        h.start("""
                version: 1
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                  composio:
                    url: https://backend.composio.dev/v3/mcp/abc/mcp
                    headers: {x-api-key: "ck-987654321"}
                    hosted: true
                rules:
                  - name: hosted
                    on: [pull_request.opened]
                    api: responses
                    tools: [composio.BITBUCKET_CREATE_COMMENT, bitbucket.get_pull_request]
                    prompt: "comment"
                """);

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        var req = h.llm.requests().getFirst();
        assertThat(req.path()).endsWith("/responses");
        assertThat(req.toolNames()).containsExactly("bitbucket__get_pull_request");
        assertThat(req.hostedMcpTools()).singleElement().satisfies(t -> {
            assertThat(t.serverLabel()).isEqualTo("composio");
            assertThat(t.serverUrl()).isEqualTo("https://backend.composio.dev/v3/mcp/abc/mcp");
            assertThat(t.requireApproval()).isEqualTo("never");
            assertThat(t.allowedTools()).containsExactly("BITBUCKET_CREATE_COMMENT");
            assertThat(t.json().at("/headers/x-api-key").asText()).isEqualTo("ck-987654321");
        });
        assertThat(h.lastRun().toolCalls()).singleElement().satisfies(t -> {
            assertThat(t.server()).isEqualTo("composio");
            assertThat(t.decision()).isEqualTo("hosted");
        });
        assertThat(h.lastRun().finalText()).isEqualTo("I commented through Composio.");
    }

    @Test
    void theNpmReferenceServerWorksOverStdio() throws Exception {
        boolean npx = new ProcessBuilder("sh", "-c", "command -v npx").start().waitFor() == 0;
        if (!npx) {
            System.err.println("AgentMcpTest skipping the npm reference server: npx not found");
        }
        assumeTrue(npx, "npx not found");
        h.llm.enqueue(Reply.toolCall("everything__echo", args("{'message':'hello from bbagent'}")), Reply.text("done"));
        h.start("""
                version: 1
                mcp_servers:
                  everything: {command: npx, args: ["-y", "@modelcontextprotocol/server-everything"], timeout: 60s}
                rules:
                  - name: echo
                    on: [pull_request.opened]
                    tools: [everything.echo]
                    prompt: "echo"
                """);

        h.openPullRequest();
        h.awaitJob(Job.SUCCEEDED);

        assertThat(h.llm.requests().get(1).toolResults().getFirst().output()).contains("hello from bbagent");
    }
}
