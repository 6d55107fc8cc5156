package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.app.Builtins;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.history.Runs;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.rules.RulesLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatTest {

    @TempDir
    Path dir;

    private String session(AgentHarness h, HistoryStore history, String input) throws Exception {
        var rules = RulesLoader.load("rules.yaml", """
                version: 1
                defaults: {model: gpt-chat}
                mcp_servers:
                  bitbucket: {builtin: bitbucket}
                chat:
                  tools: [bitbucket.list_pull_requests, bitbucket.get_pull_request, bitbucket.create_pull_request_comment]
                rules: []
                """, h.env);
        assertThat(rules.problems()).isEmpty();
        var registry = new SimpleMeterRegistry();
        try (Builtins builtins = new Builtins(h.env, registry, Clock.systemUTC());
                McpServers servers = new McpServers(rules.rules().servers(), builtins.sources(), registry);
                LlmClient llm = new LlmClient(LlmClient.Settings.of(h.llm.baseUrl(), "k"), registry)) {
            StringWriter out = new StringWriter();
            int code = new Chat(rules.rules(), servers, llm, history, false, registry,
                    Clock.systemUTC()).run("acme/widgets", "ann", new BufferedReader(new StringReader(input)),
                    new PrintWriter(out));
            assertThat(code).isZero();
            return out.toString();
        }
    }

    @Test
    void theChatAnswersWithToolsKeepsItsThreadAndEndsOnQuit() throws Exception {
        try (AgentHarness h = new AgentHarness(dir);
                HistoryStore history = new HistoryStore(dir.resolve("data"), Redactor.none(), Clock.systemUTC(),
                        new SimpleMeterRegistry(), 20_000, Duration.ofMinutes(1))) {
            h.openPullRequest();
            h.llm.enqueue(Reply.toolCall("bitbucket__list_pull_requests", args("{'workspace':'acme','repo_slug':'widgets'}")),
                    Reply.text("One open pull request: #1 Add x."), Reply.text("You asked about open pull requests."));

            String first = session(h, history, "which pull requests are open?\nquit\n");
            String second = session(h, history, "what did I ask last time?\nq\n");

            assertThat(first).contains("bbagent chat on acme/widgets (model gpt-chat). I can use: bitbucket__list_pull_requests")
                    .contains("Type exit, quit or q to leave.").contains("One open pull request: #1 Add x.").endsWith("bye\n");
            assertThat(second).contains("You asked about open pull requests.");
            var memory = h.llm.lastRequest().messages().stream().map(m -> m.path("content").asText()).toList();
            assertThat(memory).contains("which pull requests are open?", "One open pull request: #1 Add x.");
            var runs = new Runs(history).list("acme/widgets", "chat", null, 10);
            assertThat(runs).hasSize(2);
            assertThat(runs.getLast().thread()).isEqualTo("acme/widgets#chat");
            assertThat(runs.getLast().toolCalls()).isEqualTo(1);
            assertThat(h.llm.requests().getFirst().toolNames()).containsExactlyInAnyOrder("bitbucket__list_pull_requests",
                    "bitbucket__get_pull_request", "bitbucket__create_pull_request_comment");
            assertThat(List.of(first.split("\n"))).anyMatch(l -> l.startsWith("> "));
        }
    }
}
