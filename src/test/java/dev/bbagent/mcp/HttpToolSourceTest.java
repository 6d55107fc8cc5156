package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bbagent.config.RulesFile;
import dev.bbagent.mcp.testserver.LegacyHttpServer;
import dev.bbagent.mcp.testserver.TestHttpServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpToolSourceTest {

    private static final String KEY = "test-key-1";
    private static TestHttpServer server;

    private final MutableClock clock = new MutableClock();
    private McpToolSource source;

    @BeforeAll
    static void startServer() throws Exception {
        server = TestHttpServer.start(KEY);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
    }

    private McpToolSource connect(RulesFile.McpServer def) {
        source = McpToolSource.of("remote", def, TestServers.options(clock));
        return source;
    }

    private McpToolSource connect() {
        return connect(TestServers.http(server.url(), Map.of(TestHttpServer.API_KEY_HEADER, KEY)));
    }

    @Test
    void toolsAreListedAndCalledOverStreamableHttpWithTheConfiguredHeader() {
        McpToolSource s = connect();

        assertThat(s.tools()).extracting(ToolSpec::name).contains("echo", "add", "delete_note");
        assertThat(StdioToolSourceTest.spec(s.tools(), "delete_note").destructive()).isTrue();
        assertThat(s.call("add", Map.of("a", 20, "b", 22), null)).isEqualTo(ToolResult.ok("42"));
        assertThat(s.up()).isTrue();
    }

    @Test
    void aWrongHeaderIsReportedAsRefusedCredentials() {
        McpToolSource s = connect(TestServers.http(server.url(), Map.of(TestHttpServer.API_KEY_HEADER, "wrong")));

        assertThatThrownBy(s::tools)
                .isInstanceOf(ToolSourceUnavailableException.class)
                .hasMessage("MCP server 'remote' is unavailable: " + server.url()
                        + " refused the credentials (HTTP 401); check the server's headers");
        assertThat(s.up()).isFalse();
    }

    @Test
    void aWrongPathIsReportedAsNotFound() {
        URI wrong = URI.create("http://127.0.0.1:" + server.port() + "/nope");
        McpToolSource s = connect(TestServers.http(wrong, Map.of(TestHttpServer.API_KEY_HEADER, KEY)));

        assertThatThrownBy(s::tools).hasMessageContaining(wrong + " answered HTTP 405 (wrong path?)");
    }

    @Test
    void aPortWithoutAServerIsReportedAsConnectionRefused() throws Exception {
        URI url;
        try (TestHttpServer gone = TestHttpServer.start(null)) {
            url = gone.url();
        }
        McpToolSource s = connect(TestServers.http(url, Map.of()));

        assertThatThrownBy(s::tools).hasMessage("MCP server 'remote' is unavailable: connection refused to " + url);
    }

    @Test
    void errorResultsAndUnknownToolsAreResultsForTheModel() {
        McpToolSource s = connect();

        assertThat(s.call("fail", Map.of("message", "nope"), null)).isEqualTo(ToolResult.error("failed: nope"));
        ToolResult unknown = s.call("no_such_tool", Map.of(), null);
        assertThat(unknown.isError()).isTrue();
        assertThat(unknown.text()).contains("no_such_tool");
        assertThat(s.up()).isTrue();
    }

    @Test
    void aCallSlowerThanItsTimeoutThrowsAndTheServerStaysUsable() {
        McpToolSource s = connect();
        s.tools();

        assertThatThrownBy(() -> s.call("slow", Map.of("ms", 3000), Duration.ofMillis(300)))
                .isInstanceOf(ToolCallTimeoutException.class);

        assertThat(s.call("echo", Map.of("text", "after"), Duration.ofSeconds(2)).text()).isEqualTo("echo: after");
    }

    @Test
    void theToolListIsRefreshedWhenTheServerSaysItChanged() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null)) {
            McpToolSource s = connect(TestServers.http(own.url(), Map.of()));
            assertThat(s.tools()).extracting(ToolSpec::name).doesNotContain("late_tool");

            own.announce();

            List<ToolSpec> tools = Eventually.get(s::tools, t -> t.stream().anyMatch(x -> x.name().equals("late_tool")));
            assertThat(tools).extracting(ToolSpec::name).contains("late_tool");
        }
    }

    @Test
    void aServerAnsweringProtocol20241105OverHttpWorks() throws Exception {
        try (LegacyHttpServer legacy = LegacyHttpServer.start()) {
            McpToolSource s = connect(TestServers.http(legacy.url(), Map.of()));

            assertThat(s.tools()).extracting(ToolSpec::name).containsExactly("echo");
            assertThat(s.call("echo", Map.of("text", "old"), null)).isEqualTo(ToolResult.ok("echo: old"));
            assertThat(s.protocolVersion()).isEqualTo("2024-11-05");
            assertThat(legacy.lastProtocolHeader()).isEqualTo("2024-11-05");
        }
    }

    @Test
    void aLegacySseUrlWithoutAServerIsReportedAsConnectionRefused() throws Exception {
        URI url;
        try (TestHttpServer gone = TestHttpServer.start(null)) {
            url = URI.create("http://127.0.0.1:" + gone.port() + "/sse");
        }
        McpToolSource s = connect(TestServers.sse(url));

        long started = System.nanoTime();
        assertThatThrownBy(s::tools).hasMessage("MCP server 'remote' is unavailable: connection refused to " + url);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aResetConnectionFailsThatCallOnlyAndTheSessionAndCallsInFlightGoOn() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null)) {
            McpToolSource s = connect(TestServers.http(own.url(), Map.of()));
            s.tools();
            CompletableFuture<ToolResult> inFlight = CompletableFuture.supplyAsync(
                    () -> s.call("slow", Map.of("ms", 1500), null), Executors.newVirtualThreadPerTaskExecutor());
            Eventually.get(() -> own.requests("tools/call"), n -> n == 1);

            own.breakNext("tools/call", 1, TestHttpServer.Fault.CLOSE_CONNECTION);
            assertThatThrownBy(() -> s.call("echo", Map.of("text", "lost"), null))
                    .isInstanceOf(ToolSourceUnavailableException.class);

            assertThat(inFlight.get().isError()).as("the call in flight is not failed with the other").isFalse();
            assertThat(s.call("echo", Map.of("text", "next"), null).text()).isEqualTo("echo: next");
            assertThat(s.up()).isTrue();
            assertThat(own.requests("initialize")).as("the session was kept").isEqualTo(1);
        }
    }

    @Test
    void anHttp500FailsThatCallOnlyAndTheServerIsUpAgainAfterTheNextSuccess() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null)) {
            McpToolSource s = connect(TestServers.http(own.url(), Map.of()));
            s.tools();

            own.breakNext("tools/call", 1, TestHttpServer.Fault.HTTP_500);
            assertThatThrownBy(() -> s.call("echo", Map.of("text", "lost"), null))
                    .isInstanceOf(ToolSourceUnavailableException.class)
                    .hasMessageContaining("answered HTTP 500");
            assertThat(s.up()).isFalse();

            assertThat(s.call("echo", Map.of("text", "next"), null).text()).isEqualTo("echo: next");
            assertThat(s.up()).isTrue();
            assertThat(own.requests("initialize")).isEqualTo(1);
        }
    }

    @Test
    void manyFirstUsesAtOnceShareOneToolsListRequest() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null);
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            McpToolSource s = connect(TestServers.http(own.url(), Map.of()));

            List<CompletableFuture<List<ToolSpec>>> all = IntStream.range(0, 50)
                    .mapToObj(i -> CompletableFuture.supplyAsync(s::tools, threads)).toList();

            for (CompletableFuture<List<ToolSpec>> f : all) {
                assertThat(f.get()).extracting(ToolSpec::name).contains("echo", "slow");
            }
            assertThat(own.requests("tools/list")).isEqualTo(1);
        }
    }

    @Test
    void aFailedSharedToolsListFailsEveryWaiterWithTheReasonAndTheNextUseAsksAgain() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null);
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            McpToolSource s = connect(TestServers.http(own.url(), Map.of()));
            s.call("echo", Map.of("text", "connect"), null);
            own.breakNext("tools/list", 1, TestHttpServer.Fault.HTTP_500);

            List<CompletableFuture<List<ToolSpec>>> all = IntStream.range(0, 20)
                    .mapToObj(i -> CompletableFuture.supplyAsync(s::tools, threads)).toList();
            long failed = all.stream().filter(f -> {
                try {
                    f.get();
                    return false;
                } catch (Exception e) {
                    assertThat(e.getCause()).isInstanceOf(ToolSourceUnavailableException.class)
                            .hasMessageContaining("answered HTTP 500");
                    return true;
                }
            }).count();

            assertThat(failed).isPositive();
            assertThat(own.requests("tools/list")).as("the failed request, then at most one that succeeded")
                    .isLessThanOrEqualTo(2);
            assertThat(s.tools()).extracting(ToolSpec::name).contains("echo");
        }
    }

    @Test
    void atMostMaxConcurrencyRequestsAreOpenAndTheOthersWaitWithinTheirTimeout() throws Exception {
        try (TestHttpServer own = TestHttpServer.start(null);
                var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            var def = new RulesFile.McpServer(null, null, null, null, null, own.url().toString(), null, null, null,
                    null, null, 2);
            McpToolSource s = connect(def);
            s.tools();
            List<CompletableFuture<ToolResult>> busy = IntStream.range(0, 2)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> s.call("slow", Map.of("ms", 1500), null), threads))
                    .toList();
            Eventually.get(() -> own.requests("tools/call"), n -> n == 2);

            assertThatThrownBy(() -> s.call("echo", Map.of("text", "third"), Duration.ofMillis(300)))
                    .isInstanceOf(ToolCallTimeoutException.class)
                    .hasMessage("tool remote.echo did not start within 300 ms: all 2 request slots (max_concurrency) "
                            + "stayed busy");
            assertThat(own.requests("tools/call")).as("the third call never reached the server").isEqualTo(2);

            ToolResult waited = s.call("echo", Map.of("text", "waits"), Duration.ofSeconds(10));
            assertThat(waited.text()).isEqualTo("echo: waits");
            for (CompletableFuture<ToolResult> f : busy) {
                assertThat(f.get().isError()).isFalse();
            }
        }
    }
}
