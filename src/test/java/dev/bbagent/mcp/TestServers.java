package dev.bbagent.mcp;

import dev.bbagent.config.RulesFile;
import dev.bbagent.mcp.testserver.TestStdioServer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** rules.yaml server definitions and options for the test MCP servers. */
final class TestServers {

    /** First on the java command line, which the JDK cuts at 4096 characters: finds the test servers. */
    private static final String MARKER = "-Dbbagent.test.mcp-server=true";

    private TestServers() {}

    static McpToolSource.Options options(Clock clock) {
        return McpToolSource.Options.defaults()
                .withClock(clock)
                .withConnectTimeout(Duration.ofSeconds(30))
                .withCallTimeout(Duration.ofSeconds(15));
    }

    /** The test stdio server started as {@code java -cp <test classpath> TestStdioServer args}. */
    static RulesFile.McpServer stdio(String... args) {
        return stdio(Map.of(), null, args);
    }

    static RulesFile.McpServer stdio(Map<String, String> env, Path cwd, String... args) {
        List<String> all = new ArrayList<>(List.of(MARKER, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx96m",
                "-cp", classpath(), TestStdioServer.class.getName()));
        all.addAll(List.of(args));
        return new RulesFile.McpServer(null, java(), all, env, cwd == null ? null : cwd.toString(), null, null, null,
                null, null, null);
    }

    static RulesFile.McpServer command(String command, String... args) {
        return new RulesFile.McpServer(null, command, List.of(args), null, null, null, null, null, null, null, null);
    }

    static RulesFile.McpServer http(URI url, Map<String, String> headers) {
        return new RulesFile.McpServer(null, null, null, null, null, url.toString(), null, headers, null, null, null);
    }

    static RulesFile.McpServer sse(URI url) {
        return new RulesFile.McpServer(null, null, null, null, null, url.toString(), "sse", null, null, null, null);
    }

    static RulesFile.McpServer builtin(String name) {
        return new RulesFile.McpServer(name, null, null, null, null, null, null, null, null, null, null);
    }

    /** Stdio test servers started by this JVM (its descendants running TestStdioServer). */
    static List<ProcessHandle> stdioServerProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(MARKER))
                .toList();
    }

    static String java() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** Surefire may start the tests with a manifest-only jar; it names the real class path here. */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }
}
