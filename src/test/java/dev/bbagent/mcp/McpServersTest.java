package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import dev.bbagent.config.RulesFile;
import dev.bbagent.mcp.testserver.TestHttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class McpServersTest {

    private final MutableClock clock = new MutableClock();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private McpServers servers;

    @AfterEach
    void close() {
        if (servers != null) {
            servers.close();
        }
    }

    private McpServers servers(Map<String, RulesFile.McpServer> defs, Map<String, ToolSource> builtins) {
        servers = new McpServers(defs, builtins, registry, TestServers.options(clock));
        return servers;
    }

    private double up(String server) {
        Gauge g = registry.find("bbagent.mcp.server.up").tag("server", server).gauge();
        return g == null ? Double.NaN : g.value();
    }

    private double reconnects(String server) {
        Counter c = registry.find("bbagent.mcp.reconnects").tag("server", server).counter();
        return c == null ? Double.NaN : c.count();
    }

    @Test
    void hostedAndDisabledServersAreLeftOutAndBuiltinsServeUnderTheirRulesName() {
        RulesFile.McpServer hosted = new RulesFile.McpServer(null, null, null, null, null, "https://example.com/mcp",
                null, null, true, null, null);
        RulesFile.McpServer disabled = new RulesFile.McpServer(null, "npx", null, null, null, null, null, null, null,
                false, null);
        ToolSource bitbucket = new BuiltinToolSource("bitbucket", List.of(new BuiltinTool(
                new ToolSpec("get_pull_request", "A pull request", null, true, false), args -> ToolResult.ok("PR 1"))));

        McpServers s = servers(Map.of("composio", hosted, "nexus", disabled, "bb", TestServers.builtin("bitbucket")),
                Map.of("bitbucket", bitbucket));

        assertThat(s.sources()).containsOnlyKeys("bb");
        ToolSource bb = s.source("bb").orElseThrow();
        assertThat(bb.name()).isEqualTo("bb");
        assertThat(bb.call("get_pull_request", Map.of(), Duration.ofSeconds(1))).isEqualTo(ToolResult.ok("PR 1"));
        assertThat(bb.call("get_pull_request", Map.of(), null)).as("the server's default timeout").isEqualTo(ToolResult.ok("PR 1"));
        assertThat(s.source("composio")).isEmpty();
        assertThat(s.health()).containsExactly(entry("bb", null));
        assertThat(up("bb")).isEqualTo(1.0);
    }

    @Test
    void aBuiltinTheCallerCouldNotConfigureFailsWithTheCallersReason() {
        String reason = "built-in 'jira' is not configured: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN";
        McpServers s = servers(Map.of("issues", TestServers.builtin("jira"), "other", TestServers.builtin("confluence")),
                Map.of("jira", new UnavailableToolSource("jira", reason)));

        assertThatThrownBy(() -> s.source("issues").orElseThrow().tools())
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessage("MCP server 'issues' is unavailable: " + reason);
        assertThat(s.health()).containsEntry("issues", reason)
                .containsEntry("other", "built-in 'confluence' is not available in this bbagent");
        assertThat(up("issues")).isZero();
    }

    @Test
    void aKilledStdioServerIsReportedDownAndRestartedOnTheNextUse() throws InterruptedException {
        McpServers s = servers(Map.of("local", TestServers.stdio()), Map.of());
        ToolSource local = s.source("local").orElseThrow();
        assertThat(local.call("echo", Map.of("text", "1"), null).text()).isEqualTo("echo: 1");
        assertThat(up("local")).isEqualTo(1.0);

        TestServers.stdioServerProcesses().forEach(ProcessHandle::destroyForcibly);

        assertThat(Eventually.get(() -> up("local"), v -> v == 0.0)).as("gauge after the kill").isZero();
        assertThat(local.up()).isFalse();
        assertThat(local.problem()).startsWith("process was killed by signal 9");
        assertThat(s.health().get("local")).startsWith("process was killed by signal 9");
        assertThatThrownBy(() -> local.call("echo", Map.of("text", "2"), null))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining("process was killed by signal 9");

        clock.advance(Duration.ofSeconds(2));
        assertThat(local.call("echo", Map.of("text", "3"), null).text()).isEqualTo("echo: 3");
        assertThat(up("local")).isEqualTo(1.0);
        assertThat(reconnects("local")).isEqualTo(1.0);
        assertThat(s.health()).containsEntry("local", null);
    }

    @Test
    void aStoppedHttpServerIsReportedDownAndReconnectedWhenItIsBack() throws Exception {
        TestHttpServer http = TestHttpServer.start(null);
        try {
            McpServers s = servers(Map.of("remote", TestServers.http(http.url(), Map.of())), Map.of());
            ToolSource remote = s.source("remote").orElseThrow();
            assertThat(remote.call("echo", Map.of("text", "1"), null).text()).isEqualTo("echo: 1");

            http.stop();

            assertThatThrownBy(() -> remote.call("echo", Map.of("text", "2"), null))
                    .isInstanceOf(ToolSourceUnavailableException.class)
                    .hasMessageEndingWith("connection refused to " + http.url());
            assertThat(up("remote")).isZero();
            assertThat(s.health()).containsEntry("remote", "connection refused to " + http.url());

            http = http.restart();
            assertThatThrownBy(() -> remote.call("echo", Map.of("text", "3"), null))
                    .as("no new attempt within 2s of the last one")
                    .hasMessageEndingWith("connection refused to " + http.url() + " (next attempt in 2s)");

            clock.advance(Duration.ofSeconds(2));
            assertThat(remote.call("echo", Map.of("text", "4"), null).text()).isEqualTo("echo: 4");
            assertThat(up("remote")).isEqualTo(1.0);
            assertThat(reconnects("remote")).isEqualTo(1.0);
        } finally {
            http.close();
        }
    }

    @Test
    void aReloadKeepsUnchangedServersAndClosesChangedAndRemovedOnes() throws InterruptedException {
        Map<String, RulesFile.McpServer> defs = new HashMap<>(Map.of(
                "same", TestServers.stdio(),
                "changed", TestServers.stdio(),
                "removed", TestServers.stdio()));
        McpServers s = servers(defs, Map.of());
        ToolSource same = s.source("same").orElseThrow();
        ToolSource changed = s.source("changed").orElseThrow();
        ToolSource removed = s.source("removed").orElseThrow();
        List.of(same, changed, removed).parallelStream().forEach(ToolSource::tools);
        assertThat(TestServers.stdioServerProcesses()).hasSize(3);

        defs.put("changed", TestServers.stdio("--protocol", "2024-11-05"));
        defs.remove("removed");
        defs.put("added", TestServers.stdio());
        s.update(defs);

        assertThat(s.sources()).containsOnlyKeys("same", "changed", "added");
        assertThat(s.source("same")).containsSame(same);
        assertThat(s.source("changed").orElseThrow()).isNotSameAs(changed);
        assertThat(Eventually.get(TestServers::stdioServerProcesses, p -> p.size() == 1)).as("only 'same' still runs")
                .hasSize(1);
        assertThat(same.call("echo", Map.of("text", "kept"), null).text()).isEqualTo("echo: kept");
        assertThatThrownBy(removed::tools).isInstanceOf(ToolSourceUnavailableException.class);
        assertThat(registry.find("bbagent.mcp.server.up").tag("server", "removed").gauge()).isNull();
        assertThat(up("added")).isEqualTo(1.0);
        assertThat(s.source("changed").orElseThrow().tools()).extracting(ToolSpec::name).contains("echo");
    }

    @Test
    void closingStopsEveryServerProcess() throws InterruptedException {
        McpServers s = servers(Map.of("a", TestServers.stdio(), "b", TestServers.stdio()), Map.of());
        s.sources().values().parallelStream().forEach(ToolSource::tools);
        assertThat(TestServers.stdioServerProcesses()).hasSize(2);

        s.close();

        assertThat(Eventually.get(TestServers::stdioServerProcesses, List::isEmpty)).isEmpty();
        assertThat(registry.find("bbagent.mcp.server.up").gauges()).isEmpty();
    }
}
