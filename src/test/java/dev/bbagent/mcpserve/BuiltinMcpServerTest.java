package dev.bbagent.mcpserve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.app.Builtins;
import dev.bbagent.config.RulesFile;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.FakeBitbucket;
import dev.bbagent.mcp.BuiltinMcpServer;
import dev.bbagent.mcp.McpToolSource;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSourceUnavailableException;
import dev.bbagent.mcp.ToolSpec;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The built-in tools served over MCP and used through the SDK's client, against the fake Bitbucket. */
class BuiltinMcpServerTest {

    private static final String TOKEN = "bb-token-serve-123456";

    private FakeBitbucket bb;
    private Account bot;

    @BeforeEach
    void seed() {
        bb = FakeBitbucket.start();
        bot = bb.appUser("bbagent");
        Account ann = bb.user("ann", "Ann");
        bb.acceptBearerToken(TOKEN, bot);
        bb.workspace("acme").admin(bot).member(ann).repo("widgets")
                .branch("main", Map.of("README.md", "# W\n")).branch("feature", Map.of("a.txt", "a\n"));
        bb.openPullRequest("acme", "widgets", "Add a", "feature", "main", ann);
    }

    @AfterEach
    void stop() {
        bb.close();
    }

    private Map<String, String> env() {
        return Map.of("BITBUCKET_TOKEN", TOKEN, "BITBUCKET_API_URL", bb.baseUrl());
    }

    private static McpToolSource.Options options() {
        return McpToolSource.Options.defaults().withConnectTimeout(Duration.ofSeconds(60)).withCallTimeout(Duration.ofSeconds(20));
    }

    private void useTools(McpToolSource source) {
        List<ToolSpec> tools = source.tools();
        assertThat(tools).extracting(ToolSpec::name).contains("get_pull_request", "create_pull_request_comment",
                "upsert_bot_comment", "list_workspaces", "delete_repository");
        assertThat(tools).filteredOn(t -> t.name().equals("get_pull_request")).singleElement()
                .satisfies(t -> assertThat(t.readOnly()).isTrue());
        assertThat(tools).filteredOn(t -> t.name().equals("delete_repository")).singleElement()
                .satisfies(t -> assertThat(t.destructive()).isTrue());

        ToolResult pr = source.call("get_pull_request", Map.of("workspace", "acme", "repo_slug", "widgets",
                "pull_request_id", 1), Duration.ofSeconds(20));
        ToolResult comment = source.call("create_pull_request_comment", Map.of("workspace", "acme", "repo_slug", "widgets",
                "pull_request_id", 1, "content", "hello over MCP"), Duration.ofSeconds(20));
        ToolResult missing = source.call("get_pull_request", Map.of("workspace", "acme", "repo_slug", "widgets",
                "pull_request_id", 99), Duration.ofSeconds(20));

        assertThat(pr.isError()).isFalse();
        assertThat(pr.text()).contains("Add a");
        assertThat(comment.isError()).isFalse();
        assertThat(bb.comments("acme", "widgets", 1)).extracting(c -> c.raw()).containsExactly("hello over MCP");
        assertThat(missing.isError()).isTrue();
        assertThat(missing.text()).contains("404");
    }

    @Test
    void theStdioServerIsListedAndCalledByTheSdkClient() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        var def = new RulesFile.McpServer(null, java, List.of("--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", cp,
                "dev.bbagent.cli.Main", "mcp", "--stdio"), env(), null, null, null, null, null, null, null);
        try (McpToolSource source = McpToolSource.of("bitbucket", def, options())) {
            useTools(source);
        }
    }

    @Test
    void theHttpServerIsListedAndCalledByTheSdkClientWithItsBearerToken() throws Exception {
        try (Builtins builtins = new Builtins(env(), new SimpleMeterRegistry(), Clock.systemUTC());
                var server = BuiltinMcpServer.http("bbagent-bitbucket", "test", builtins.tools("bitbucket").orElseThrow(),
                        "127.0.0.1", 0, "mcp-secret-token")) {
            String url = "http://127.0.0.1:" + server.port() + "/mcp";
            var good = new RulesFile.McpServer(null, null, null, null, null, url, null,
                    Map.of("Authorization", "Bearer mcp-secret-token"), null, null, null);
            var bad = new RulesFile.McpServer(null, null, null, null, null, url, null, Map.of(), null, null, null);

            try (McpToolSource source = McpToolSource.of("bitbucket", good, options())) {
                useTools(source);
            }
            try (McpToolSource source = McpToolSource.of("bitbucket", bad, options())) {
                assertThatThrownBy(source::tools).isInstanceOf(ToolSourceUnavailableException.class)
                        .hasMessageContaining("401");
            }
        }
    }
}
