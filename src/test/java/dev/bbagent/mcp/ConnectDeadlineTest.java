package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection attempt made for a caller with a deadline (a run's time left, a call's timeout) ends at
 * that deadline, not at the 60 s connect timeout: real transports against servers that never answer.
 */
class ConnectDeadlineTest {

    private static final String SLEEP_ARG = "601";

    /** Accepts connections and never answers (nor closes them). */
    private ServerSocket silent;
    private final List<Socket> accepted = new ArrayList<>();
    private final List<McpToolSource> sources = new ArrayList<>();

    @BeforeEach
    void openSilentSocket() throws IOException {
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("silent-accept").start(() -> {
            while (!silent.isClosed()) {
                try {
                    Socket s = silent.accept();
                    synchronized (accepted) {
                        accepted.add(s);
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        sources.forEach(McpToolSource::close);
        silent.close();
        synchronized (accepted) {
            for (Socket s : accepted) {
                s.close();
            }
        }
        List<ProcessHandle> left = Eventually.get(ConnectDeadlineTest::sleepers, List::isEmpty);
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("sleep processes left behind").isEmpty();
    }

    private static List<ProcessHandle> sleepers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("sleep")
                        && p.info().arguments().map(a -> a.length == 1 && a[0].equals(SLEEP_ARG)).orElse(false))
                .toList();
    }

    /** The service's defaults: 60 s to connect; the server's own {@code timeout: 5s}, per call. */
    private McpToolSource source(dev.bbagent.config.RulesFile.McpServer def) {
        var withTimeout = new dev.bbagent.config.RulesFile.McpServer(def.builtin(), def.command(), def.args(),
                def.env(), def.cwd(), def.url(), def.transport(), def.headers(), null, null, "5s", null);
        McpToolSource s = McpToolSource.of("slow", withTimeout,
                TestServers.options(new MutableClock()).withConnectTimeout(Duration.ofSeconds(60)));
        sources.add(s);
        return s;
    }

    private URI silentUrl() {
        return URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/mcp");
    }

    @Test
    void anHttpServerThatNeverAnswersFailsAtTheCallersDeadline() {
        McpToolSource s = source(TestServers.http(silentUrl(), Map.of()));

        long start = System.nanoTime();
        assertThatThrownBy(() -> s.tools(Duration.ofSeconds(2)))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining(silentUrl() + " did not answer the MCP handshake within");
        assertThat(elapsed(start)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3500));
        assertThat(s.up()).isFalse();
    }

    @Test
    void aLegacySseServerThatNeverAnswersFailsAtTheCallersDeadline() {
        McpToolSource s = source(TestServers.sse(silentUrl()));

        long start = System.nanoTime();
        assertThatThrownBy(() -> s.tools(Duration.ofSeconds(2))).isInstanceOf(ToolSourceUnavailableException.class);
        assertThat(elapsed(start)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3500));
    }

    @Test
    void aStdioServerThatNeverAnswersFailsAtTheCallersDeadlineAndIsStopped() throws Exception {
        McpToolSource s = source(TestServers.command("sleep", SLEEP_ARG));

        long start = System.nanoTime();
        assertThatThrownBy(() -> s.tools(Duration.ofSeconds(2)))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining("command 'sleep' did not answer the MCP handshake within");
        assertThat(elapsed(start)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3500));
        assertThat(Eventually.get(ConnectDeadlineTest::sleepers, List::isEmpty)).isEmpty();
    }

    @Test
    void withoutADeadlineTheConnectTimeoutStillApplies() {
        McpToolSource s = McpToolSource.of("slow", TestServers.http(silentUrl(), Map.of()),
                TestServers.options(new MutableClock()).withConnectTimeout(Duration.ofSeconds(2)));
        sources.add(s);

        long start = System.nanoTime();
        assertThatThrownBy(s::tools).isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining("did not answer the MCP handshake within 2s");
        assertThat(elapsed(start)).isBetween(Duration.ofMillis(1500), Duration.ofMillis(3500));
    }

    @Test
    void aCallerWaitingForAnotherCallersAttemptStopsAtItsOwnDeadline() throws Exception {
        McpToolSource s = source(TestServers.http(silentUrl(), Map.of()));
        CompletableFuture<Throwable> first = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                s.tools(Duration.ofSeconds(5));
                first.complete(null);
            } catch (Throwable t) {
                first.complete(t);
            }
        });
        Thread.sleep(300); // the first caller holds the attempt

        long start = System.nanoTime();
        assertThatThrownBy(() -> s.tools(Duration.ofSeconds(1)))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining("still under way");
        assertThat(elapsed(start)).isBetween(Duration.ofMillis(800), Duration.ofMillis(2500));
        assertThat(first.get(10, TimeUnit.SECONDS)).isInstanceOf(ToolSourceUnavailableException.class);
    }

    @Test
    void aToolCallThatMustConnectFirstKeepsToItsTimeout() {
        McpToolSource s = source(TestServers.http(silentUrl(), Map.of()));

        long start = System.nanoTime();
        assertThatThrownBy(() -> s.call("echo", Map.of(), null))
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessageContaining("did not answer the MCP handshake within");
        assertThat(elapsed(start)).as("the server's timeout: 5s").isBetween(Duration.ofMillis(4500), Duration.ofMillis(7000));
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
