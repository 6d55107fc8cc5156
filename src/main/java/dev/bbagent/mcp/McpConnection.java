package dev.bbagent.mcp;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * One initialized MCP session with a server: the SDK's async client over bbagent's stdio transport
 * or the SDK's HTTP transports. Blocking calls wait with their own deadline and fail at once when
 * the stdio process dies. A broken connection is not repaired; {@link McpToolSource} opens a new one.
 */
final class McpConnection {

    private static final Logger log = LoggerFactory.getLogger(McpConnection.class);

    /**
     * Protocol versions bbagent accepts, oldest first; the client asks for the last one and accepts
     * any of these in the answer (servers such as bitbucket-mcp always answer 2024-11-05).
     */
    static final List<String> PROTOCOL_VERSIONS = List.of(ProtocolVersions.MCP_2024_11_05,
            ProtocolVersions.MCP_2025_03_26, ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    /** Longer than any call; bbagent applies its own per-call deadlines. */
    private static final Duration SDK_REQUEST_TIMEOUT = Duration.ofHours(1);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration SDK_INIT_MARGIN = Duration.ofSeconds(5);

    private final String server;
    private final Endpoint endpoint;
    private final Consumer<String> onLost;
    private final Consumer<List<ToolSpec>> onToolsChanged;
    private final Set<CompletableFuture<?>> inflight = ConcurrentHashMap.newKeySet();
    private final McpClientTransport transport;
    private final ExecutorService httpExecutor;
    private final McpAsyncClient client;
    private volatile String lostReason;
    private final AtomicBoolean closed = new AtomicBoolean();
    private McpSchema.InitializeResult init;

    private McpConnection(String server, Endpoint endpoint, Duration connectTimeout, Consumer<String> onLost,
            Consumer<List<ToolSpec>> onToolsChanged) {
        this.server = server;
        this.endpoint = endpoint;
        this.onLost = onLost;
        this.onToolsChanged = onToolsChanged;
        McpJsonMapper json = McpJsonDefaults.getMapper();
        if (endpoint instanceof Endpoint.Stdio stdio) {
            this.httpExecutor = null;
            this.transport = new StdioTransport(server, stdio, json, this::lost);
        } else {
            Endpoint.Http http = (Endpoint.Http) endpoint;
            this.httpExecutor = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("mcp-" + server + "-http-", 0).factory());
            this.transport = new WatchedTransport(HttpTransports.create(http, json, connectTimeout, httpExecutor),
                    failure -> lost(Failures.describe(failure, endpoint)));
        }
        this.client = McpClient.async(transport)
                .clientInfo(new McpSchema.Implementation("bbagent", bbagentVersion()))
                .capabilities(McpSchema.ClientCapabilities.builder().build())
                .requestTimeout(SDK_REQUEST_TIMEOUT)
                // bbagent's own wait in open() ends the handshake with a clearer reason; this is a backstop
                .initializationTimeout(connectTimeout.plus(SDK_INIT_MARGIN))
                .toolsChangeConsumer(tools -> Mono.fromRunnable(() -> toolsChanged(tools)))
                .build();
    }

    /**
     * Starts or reaches the server and runs the MCP handshake, all within {@code connectTimeout}. A
     * failed attempt returns at once; stopping its program (or HTTP client) goes on in the background.
     *
     * @param connectTimeout the most this attempt may take: the connect timeout, or less when the
     *     caller has less time left
     * @param onLost told the reason when the connection breaks on its own (stdio process died)
     * @param onToolsChanged told the new tool list after {@code notifications/tools/list_changed}
     * @throws RuntimeException describing the failure (see {@link Failures#describe})
     */
    static McpConnection open(String server, Endpoint endpoint, Duration connectTimeout, Consumer<String> onLost,
            Consumer<List<ToolSpec>> onToolsChanged) {
        McpConnection c = new McpConnection(server, endpoint, connectTimeout, onLost, onToolsChanged);
        try {
            if (c.transport instanceof StdioTransport stdio) {
                stdio.start();
            }
            c.init = c.await(c.client.initialize().toFuture(), connectTimeout,
                    () -> new TransportFailure(endpoint.describe() + " did not answer the MCP handshake within "
                            + seconds(connectTimeout)));
            return c;
        } catch (RuntimeException e) {
            c.closeInBackground();
            throw e;
        }
    }

    /** "60s", "2.5s". */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    /**
     * {@link #close()} on a thread of its own, so that a failed attempt does not keep its caller past
     * the caller's deadline while the program is asked to stop (up to a few seconds).
     */
    private void closeInBackground() {
        Thread.ofVirtual().name("mcp-" + server + "-close").start(this::close);
    }

    /** The protocol version the server chose. */
    String protocolVersion() {
        return init.protocolVersion();
    }

    /** The server's name and version as it reports them. */
    String serverInfo() {
        McpSchema.Implementation info = init.serverInfo();
        return info == null ? "unknown" : info.name() + " " + info.version();
    }

    /** Whether the connection still works as far as bbagent knows. */
    boolean alive() {
        return lostReason == null && !closed.get();
    }

    /** Why the connection broke, or null. */
    String lostReason() {
        return lostReason;
    }

    /** Every tool the server lists (all pages). */
    List<ToolSpec> listTools(Duration timeout) {
        McpSchema.ListToolsResult result = await(client.listTools().toFuture(), timeout,
                () -> new TransportFailure(endpoint.describe() + " did not list its tools within "
                        + timeout.toMillis() + " ms"));
        return ToolResults.specs(result.tools());
    }

    /**
     * Calls a tool.
     *
     * @throws ToolCallTimeoutException when {@code timeout} passes first
     * @throws io.modelcontextprotocol.spec.McpError when the server answers a JSON-RPC error
     */
    McpSchema.CallToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        var request = new McpSchema.CallToolRequest(tool, arguments == null ? Map.of() : arguments);
        return await(client.callTool(request).toFuture(), timeout,
                () -> new ToolCallTimeoutException(server, tool, timeout));
    }

    private <T> T await(CompletableFuture<T> future, Duration timeout, Supplier<RuntimeException> onTimeout) {
        inflight.add(future);
        try {
            String reason = lostReason;
            if (reason != null) {
                future.completeExceptionally(new TransportFailure(reason));
            }
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw onTimeout.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
        } catch (CancellationException e) {
            throw new TransportFailure(closed.get() ? "the connection was closed" : "the call was cancelled", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new Interrupted(e);
        } finally {
            inflight.remove(future);
        }
    }

    private void lost(String reason) {
        if (closed.get()) {
            return;
        }
        lostReason = reason;
        failInflight(reason);
        onLost.accept(reason);
    }

    private void failInflight(String reason) {
        for (CompletableFuture<?> f : inflight) {
            f.completeExceptionally(new TransportFailure(reason));
        }
    }

    private void toolsChanged(List<McpSchema.Tool> tools) {
        if (!closed.get()) {
            onToolsChanged.accept(ToolResults.specs(tools));
        }
    }

    /** Ends the session and stops the process (and its children) if there is one. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        failInflight("the connection was closed");
        try {
            client.closeGracefully().block(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
            log.debug("MCP server '{}': closing the session failed", server, e);
        }
        if (transport instanceof StdioTransport stdio) {
            stdio.terminate();
        }
        if (httpExecutor != null) {
            httpExecutor.shutdownNow();
        }
    }

    private static String bbagentVersion() {
        String v = McpConnection.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** The calling thread was interrupted while waiting for the server. */
    static final class Interrupted extends RuntimeException {
        Interrupted(InterruptedException cause) {
            super("interrupted while waiting for the server", cause);
        }
    }
}
