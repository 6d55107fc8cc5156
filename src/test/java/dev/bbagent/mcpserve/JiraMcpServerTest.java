package dev.bbagent.mcpserve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.RulesFile;
import dev.bbagent.fake.jira.FakeJira;
import dev.bbagent.fake.jira.JiraUser;
import dev.bbagent.mcp.McpToolSource;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code bbagent mcp --stdio --toolset jira}: the built-in Jira tools through the SDK's client. */
class JiraMcpServerTest {

    private FakeJira jira;
    private JiraUser bot;

    @BeforeEach
    void seed() {
        jira = FakeJira.start();
        bot = jira.user("bbagent");
        jira.acceptApiToken(bot, "jira-token-mcp");
        jira.project("WEB", "Website");
        jira.createIssue("WEB", "Bug", "Login fails", "Steps", jira.user("Ann"));
    }

    @AfterEach
    void stop() {
        jira.close();
    }

    @Test
    void theJiraToolsetIsServedOverStdioAndCalledByTheSdkClient() {
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Map<String, String> env = Map.of("JIRA_BASE_URL", jira.baseUrl(), "JIRA_EMAIL", bot.email(),
                "JIRA_API_TOKEN", "jira-token-mcp");
        var def = new RulesFile.McpServer(null, java, List.of("--enable-native-access=ALL-UNNAMED", "-Xmx128m", "-cp", cp,
                "dev.bbagent.cli.Main", "mcp", "--stdio", "--toolset", "jira"), env, null, null, null, null, null, null, null);
        var options = McpToolSource.Options.defaults().withConnectTimeout(Duration.ofSeconds(60))
                .withCallTimeout(Duration.ofSeconds(20));

        try (McpToolSource source = McpToolSource.of("jira", def, options)) {
            List<ToolSpec> tools = source.tools();
            ToolResult issue = source.call("get_issue", Map.of("issue_key", "WEB-1"), Duration.ofSeconds(20));
            ToolResult comment = source.call("add_issue_comment", Map.of("issue_key", "WEB-1", "body", "over MCP"),
                    Duration.ofSeconds(20));

            assertThat(tools).extracting(ToolSpec::name).contains("get_issue", "search_issues", "add_issue_comment",
                    "update_issue", "transition_issue", "create_issue");
            assertThat(tools).filteredOn(t -> t.name().equals("get_issue")).singleElement()
                    .satisfies(t -> assertThat(t.readOnly()).isTrue());
            assertThat(tools).filteredOn(t -> t.name().equals("update_issue")).singleElement()
                    .satisfies(t -> assertThat(t.destructive()).isFalse());
            assertThat(issue.isError()).isFalse();
            assertThat(issue.text()).contains("Login fails");
            assertThat(comment.isError()).isFalse();
            assertThat(jira.comments("WEB-1")).extracting(c -> c.text()).containsExactly("over MCP");
        }
    }
}
