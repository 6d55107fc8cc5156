package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StdioToolSourceTest {

    /** One server for the tests that leave it as they found it (starting a JVM takes a second). */
    private static McpToolSource shared;

    private final MutableClock clock = new MutableClock();
    private McpToolSource source;

    @BeforeAll
    static void startShared() {
        shared = McpToolSource.of("test", TestServers.stdio(), TestServers.options(new MutableClock()));
    }

    @AfterAll
    static void closeShared() {
        shared.close();
    }

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private McpToolSource start(dev.bbagent.config.RulesFile.McpServer def) {
        source = McpToolSource.of("test", def, TestServers.options(clock));
        return source;
    }

    @Test
    void nothingStartsBeforeTheFirstUseAndTheConnectionIsKeptAfterIt() {
        List<ProcessHandle> before = TestServers.stdioServerProcesses();
        McpToolSource s = start(TestServers.stdio());

        assertThat(TestServers.stdioServerProcesses()).containsExactlyInAnyOrderElementsOf(before);
        assertThat(s.up()).isTrue();

        s.tools();
        List<ProcessHandle> started = newSince(before);
        s.call("echo", Map.of("text", "again"), null);

        assertThat(started).hasSize(1);
        assertThat(newSince(before)).containsExactlyElementsOf(started);
    }

    @Test
    void toolsAreListedWithTheirHintsAndTheMcpDefaultsWhenAToolHasNone() {
        List<ToolSpec> tools = shared.tools();

        assertThat(tools).extracting(ToolSpec::name)
                .contains("echo", "add", "fail", "slow", "write_note", "delete_note", "announce");
        assertThat(spec(tools, "echo")).satisfies(t -> {
            assertThat(t.readOnly()).isTrue();
            assertThat(t.description()).isEqualTo("Echoes the text");
            assertThat(t.inputSchema()).containsEntry("type", "object");
        });
        assertThat(spec(tools, "write_note")).extracting(ToolSpec::readOnly, ToolSpec::destructive)
                .containsExactly(false, false);
        assertThat(spec(tools, "delete_note")).extracting(ToolSpec::readOnly, ToolSpec::destructive)
                .containsExactly(false, true);
        assertThat(spec(tools, "announce")).extracting(ToolSpec::readOnly, ToolSpec::destructive)
                .as("no annotations: readOnlyHint false, destructiveHint true").containsExactly(false, true);
    }

    @Test
    void aToolCallReturnsTheTextOfTheResult() {
        McpToolSource s = shared;

        assertThat(s.call("add", Map.of("a", 2, "b", 3), Duration.ofSeconds(10))).isEqualTo(ToolResult.ok("5"));
        assertThat(s.call("echo", Map.of("text", "hi"), null)).isEqualTo(ToolResult.ok("echo: hi"));
    }

    @Test
    void aToolThatReportsAnErrorGivesAnErrorResult() {
        ToolResult r = shared.call("fail", Map.of("message", "boom"), null);

        assertThat(r).isEqualTo(ToolResult.error("failed: boom"));
    }

    @Test
    void anUnknownToolIsAnErrorResultForTheModelNotAnException() {
        McpToolSource s = shared;

        ToolResult r = s.call("no_such_tool", Map.of(), null);

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("no_such_tool");
        assertThat(s.up()).isTrue();
    }

    @Test
    void nonTextContentIsDescribedBriefly() {
        ToolResult r = shared.call("picture", Map.of(), null);

        assertThat(r.text()).isEqualTo("a picture:\n[image: image/png, 4 bytes]");
    }

    @Test
    void aCallSlowerThanItsTimeoutThrowsAndTheServerStaysUsable() {
        McpToolSource s = shared;
        s.tools();

        long started = System.nanoTime();
        assertThatThrownBy(() -> s.call("slow", Map.of("ms", 5000), Duration.ofMillis(300)))
                .isInstanceOf(ToolCallTimeoutException.class)
                .hasMessage("tool test.slow did not answer within 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));

        assertThat(s.call("echo", Map.of("text", "still here"), Duration.ofSeconds(3)).text()).isEqualTo("echo: still here");
        assertThat(s.up()).isTrue();
    }

    @Test
    void theToolListIsCachedAndRefreshedWhenTheServerSaysItChanged() throws InterruptedException {
        McpToolSource s = start(TestServers.stdio());
        List<ToolSpec> before = s.tools();
        assertThat(s.tools()).isSameAs(before);
        assertThat(before).extracting(ToolSpec::name).doesNotContain("late_tool");

        s.call("announce", Map.of(), null);

        assertThat(Eventually.get(() -> s.tools(), tools -> tools.stream().anyMatch(t -> t.name().equals("late_tool"))))
                .extracting(ToolSpec::name).contains("late_tool", "echo");
        assertThat(s.call("late_tool", Map.of(), null).text()).isEqualTo("late");
    }

    @Test
    void aServerThatExitsIsReportedWithItsExitCodeAndLastStderrLines() {
        McpToolSource s = start(TestServers.stdio());
        s.tools();

        assertThatThrownBy(() -> s.call("exit", Map.of("code", 3, "message", "out of cheese"), null))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageStartingWith("MCP server 'test' is unavailable: process exited with code 3")
                .hasMessageContaining("out of cheese");
        assertThat(s.up()).isFalse();
        assertThat(s.problem()).startsWith("process exited with code 3").contains("out of cheese");
    }

    @Test
    void aServerThatFailsAtStartIsReportedWithItsStderr() {
        McpToolSource s = start(TestServers.stdio("--fail-at-start", "1"));

        assertThatThrownBy(s::tools)
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessage("MCP server 'test' is unavailable: process exited with code 1: "
                        + "starting test server\nfatal: cannot log in (test)");
        assertThat(s.problem()).startsWith("process exited with code 1");
    }

    @Test
    void aMissingCommandIsReportedByName() {
        McpToolSource s = start(TestServers.command("bbagent-no-such-command", "--stdio"));

        assertThatThrownBy(s::tools)
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessage("MCP server 'test' is unavailable: command 'bbagent-no-such-command' not found "
                        + "(is it installed and on PATH?)");
        assertThat(s.up()).isFalse();
    }

    @Test
    void aMissingWorkingFolderIsReported(@TempDir Path dir) {
        Path missing = dir.resolve("nope");
        McpToolSource s = start(TestServers.stdio(Map.of(), missing));

        assertThatThrownBy(s::tools).hasMessageEndingWith("working folder '" + missing + "' does not exist");
    }

    @Test
    void connectionAttemptsBackOffOnTheClock() {
        McpToolSource s = start(TestServers.command("bbagent-no-such-command"));
        assertThatThrownBy(s::tools).hasMessageEndingWith("(is it installed and on PATH?)");

        assertThatThrownBy(s::tools).as("within 2s of the first attempt").hasMessageEndingWith("(next attempt in 2s)");
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(s::tools).as("second attempt").hasMessageEndingWith("(is it installed and on PATH?)");
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(s::tools).as("two failures double the wait").hasMessageEndingWith("(next attempt in 2s)");
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(s::tools).as("third attempt").hasMessageEndingWith("(is it installed and on PATH?)");
    }

    @Test
    void theServerGetsItsEnvAndFolderButNotBbagentsOtherVariables(@TempDir Path dir) {
        String secret = System.getenv().keySet().stream()
                .filter(k -> !ProcessEnvironment.INHERITED.contains(k)).findFirst().orElse(null);
        assumeThat(secret).as("a variable of this environment that servers do not inherit").isNotNull();
        McpToolSource s = start(TestServers.stdio(Map.of("GREETING", "hello"), dir));

        assertThat(s.call("env", Map.of("name", "GREETING"), null).text()).isEqualTo("hello");
        assertThat(s.call("env", Map.of("name", "PATH"), null).text()).isEqualTo(System.getenv("PATH"));
        assertThat(s.call("env", Map.of("name", secret), null).text()).isEqualTo("<unset>");
        assertThat(uncheckedRealPath(Path.of(s.call("cwd", Map.of(), null).text()))).isEqualTo(uncheckedRealPath(dir));
    }

    @Test
    void closingStopsTheProcess() {
        List<ProcessHandle> before = TestServers.stdioServerProcesses();
        McpToolSource s = start(TestServers.stdio());
        s.tools();
        List<ProcessHandle> running = newSince(before);
        assertThat(running).hasSize(1);

        s.close();

        assertThat(running.getFirst().isAlive()).isFalse();
        assertThatThrownBy(s::tools).hasMessageContaining("closed");
    }

    @Test
    void aServerSpeakingProtocol20241105Works() {
        McpToolSource s = start(TestServers.stdio("--protocol", "2024-11-05"));

        assertThat(s.tools()).extracting(ToolSpec::name).contains("echo");
        assertThat(s.protocolVersion()).isEqualTo("2024-11-05");
        assertThat(s.call("echo", Map.of("text", "old"), null).text()).isEqualTo("echo: old");
    }

    private static List<ProcessHandle> newSince(List<ProcessHandle> before) {
        return TestServers.stdioServerProcesses().stream().filter(p -> !before.contains(p)).toList();
    }

    static ToolSpec spec(List<ToolSpec> tools, String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    private static Path uncheckedRealPath(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
