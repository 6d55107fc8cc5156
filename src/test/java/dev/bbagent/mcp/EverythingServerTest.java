package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.RulesFile;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The npm reference server {@code @modelcontextprotocol/server-everything}, through npx, over stdio,
 * Streamable HTTP and legacy SSE. Skipped (with a message on stderr) when npx is missing. The first
 * run downloads the package, hence the long connect timeout.
 */
class EverythingServerTest {

    private static final String PACKAGE = "@modelcontextprotocol/server-everything";
    private static final Duration FIRST_CONNECT = Duration.ofSeconds(120);

    private McpToolSource source;
    private Process httpServer;

    @BeforeAll
    static void needsNpx() {
        boolean found;
        try {
            Process p = new ProcessBuilder("npx", "--version").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            found = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            found = false;
        }
        if (!found) {
            System.err.println("EverythingServerTest skipping: npx not found");
        }
        Assumptions.assumeTrue(found, "npx not found");
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (source != null) {
            source.close();
        }
        if (httpServer != null) {
            List<ProcessHandle> children = httpServer.descendants().toList();
            httpServer.destroy();
            children.forEach(ProcessHandle::destroy);
            httpServer.waitFor(5, TimeUnit.SECONDS);
            children.forEach(ProcessHandle::destroyForcibly);
            httpServer.destroyForcibly();
        }
    }

    private McpToolSource connect(RulesFile.McpServer def) {
        source = McpToolSource.of("everything", def,
                TestServers.options(new MutableClock()).withConnectTimeout(FIRST_CONNECT));
        return source;
    }

    @Test
    void theReferenceServerWorksOverStdio() {
        McpToolSource s = connect(TestServers.command("npx", "-y", PACKAGE));

        exercise(s);
    }

    @Test
    void theReferenceServerWorksOverStreamableHttp() throws Exception {
        int port = startHttp("streamableHttp");

        exercise(connect(TestServers.http(URI.create("http://127.0.0.1:" + port + "/mcp"), Map.of())));
    }

    @Test
    void theReferenceServerWorksOverLegacySse() throws Exception {
        int port = startHttp("sse");

        exercise(connect(TestServers.sse(URI.create("http://127.0.0.1:" + port + "/sse"))));
    }

    private static void exercise(McpToolSource s) {
        List<ToolSpec> tools = s.tools();
        assertThat(tools).extracting(ToolSpec::name).contains("echo", "get-sum", "get-tiny-image");
        assertThat(StdioToolSourceTest.spec(tools, "echo").readOnly()).isTrue();

        assertThat(s.call("echo", Map.of("message", "hello"), null)).isEqualTo(ToolResult.ok("Echo: hello"));
        assertThat(s.call("get-sum", Map.of("a", 2, "b", 3), null).text()).contains("5");
        assertThat(s.call("get-tiny-image", Map.of(), null).text()).containsPattern("\\[image: image/png, \\d+ bytes]");
        ToolResult unknown = s.call("no-such-tool", Map.of(), null);
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.text()).contains("no-such-tool");
        assertThat(s.up()).isTrue();
    }

    /** Starts the server's HTTP mode on a free port and waits until it listens. */
    private int startHttp(String transport) throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("npx", "-y", PACKAGE, transport)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", Integer.toString(port));
        httpServer = pb.start();
        long deadline = System.nanoTime() + FIRST_CONNECT.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return port;
            } catch (IOException notYet) {
                assertThat(httpServer.isAlive()).as("npx " + PACKAGE + " " + transport + " is running").isTrue();
                Thread.sleep(100);
            }
        }
        throw new AssertionError(PACKAGE + " " + transport + " did not listen on port " + port + " within "
                + FIRST_CONNECT.toSeconds() + "s");
    }
}
