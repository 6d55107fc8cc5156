package dev.bbagent.mcp;

import dev.bbagent.config.Durations;
import dev.bbagent.config.RulesFile;
import io.modelcontextprotocol.spec.McpError;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ToolSource} backed by an MCP server bbagent connects to itself: a stdio program, a
 * Streamable HTTP URL, or a legacy HTTP+SSE URL.
 *
 * <ul>
 *   <li><b>Lazy:</b> nothing starts at construction; the first {@link #tools()} or {@link #call} connects,
 *       and the connection is kept for later calls.
 *   <li><b>Reconnects:</b> when the stdio process dies or an HTTP request fails at the transport level,
 *       the call fails with {@link ToolSourceUnavailableException} and the next use connects again.
 *       Attempts are spaced by a backoff on the injected {@link Clock}: an attempt starts at least
 *       {@code minBackoff} after the previous one ended, and the wait doubles after each failed attempt
 *       up to {@code maxBackoff}; within the wait, uses fail at once with the last reason and
 *       "(next attempt in Ns)".
 *   <li><b>Tool cache:</b> the tool list is fetched once per connection and replaced when the server
 *       sends {@code notifications/tools/list_changed}.
 *   <li><b>Errors:</b> a JSON-RPC error answer (unknown tool, bad arguments) becomes an error
 *       {@link ToolResult} so the model hears about it; only transport failures throw.
 * </ul>
 *
 * <p>Thread-safe: many runs may call one source at once; connecting happens once, under a lock.
 */
public final class McpToolSource implements ToolSource {

    private static final Logger log = LoggerFactory.getLogger(McpToolSource.class);

    /**
     * How sources connect and retry.
     *
     * @param clock decides when the next connection attempt may start (tests pass a clock they move)
     * @param connectTimeout for starting or reaching the server and the MCP handshake (npx may download first)
     * @param callTimeout per call when rules.yaml gives the server no {@code timeout} and the caller passes none
     * @param minBackoff the least time between two connection attempts
     * @param maxBackoff the most time between two attempts after repeated failures
     * @param onReconnect run after each successful connection that follows an earlier one (a metric)
     */
    public record Options(Clock clock, Duration connectTimeout, Duration callTimeout, Duration minBackoff,
            Duration maxBackoff, Runnable onReconnect) {

        public Options {
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(callTimeout, "callTimeout");
            Objects.requireNonNull(minBackoff, "minBackoff");
            Objects.requireNonNull(maxBackoff, "maxBackoff");
            onReconnect = onReconnect == null ? () -> {} : onReconnect;
        }

        /** System clock, 60 s to connect, 60 s per call, 2 s to 30 s between attempts. */
        public static Options defaults() {
            return new Options(Clock.systemUTC(), Duration.ofSeconds(60), Duration.ofSeconds(60),
                    Duration.ofSeconds(2), Duration.ofSeconds(30), () -> {});
        }

        public Options withClock(Clock c) {
            return new Options(c, connectTimeout, callTimeout, minBackoff, maxBackoff, onReconnect);
        }

        public Options withConnectTimeout(Duration d) {
            return new Options(clock, d, callTimeout, minBackoff, maxBackoff, onReconnect);
        }

        public Options withCallTimeout(Duration d) {
            return new Options(clock, connectTimeout, d, minBackoff, maxBackoff, onReconnect);
        }

        public Options withBackoff(Duration min, Duration max) {
            return new Options(clock, connectTimeout, callTimeout, min, max, onReconnect);
        }

        public Options withOnReconnect(Runnable r) {
            return new Options(clock, connectTimeout, callTimeout, minBackoff, maxBackoff, r);
        }
    }

    private final String name;
    private final Endpoint endpoint;
    private final Options options;
    private final Duration callTimeout;
    private final Backoff backoff;
    private final ReentrantLock connectLock = new ReentrantLock();
    private final Object stateLock = new Object();
    private final AtomicReference<McpConnection> connection = new AtomicReference<>();
    private volatile List<ToolSpec> tools;
    private volatile String problem;
    private volatile boolean closed;
    private boolean connectedBefore;

    /**
     * A source for a stdio or URL server of rules.yaml. Starts nothing.
     *
     * @param name the server's name in rules.yaml
     * @throws IllegalArgumentException when {@code def} is a builtin or hosted server, has neither
     *     {@code command} nor {@code url}, or has a bad {@code url}, {@code transport} or {@code timeout}
     */
    public static McpToolSource of(String name, RulesFile.McpServer def, Options options) {
        if (def.builtin() != null) {
            throw new IllegalArgumentException("'" + name + "' is built in; bbagent serves it in-process");
        }
        if (def.isHosted()) {
            throw new IllegalArgumentException("'" + name + "' is hosted; the Responses API connects to it");
        }
        Duration timeout = options.callTimeout();
        if (def.timeout() != null) {
            try {
                timeout = Durations.parse(def.timeout(), "mcp_servers." + name + ".timeout");
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
        return new McpToolSource(name, Endpoint.of(def), options, timeout);
    }

    McpToolSource(String name, Endpoint endpoint, Options options, Duration callTimeout) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = endpoint;
        this.options = options;
        this.callTimeout = callTimeout;
        this.backoff = new Backoff(options.clock(), options.minBackoff(), options.maxBackoff());
    }

    @Override
    public String name() {
        return name;
    }

    /** The per-call timeout used when a caller passes none. */
    public Duration defaultTimeout() {
        return callTimeout;
    }

    @Override
    public List<ToolSpec> tools() {
        McpConnection c = connection();
        List<ToolSpec> cached = tools;
        if (cached != null) {
            return cached;
        }
        try {
            List<ToolSpec> fresh = c.listTools(callTimeout);
            markUp();
            synchronized (stateLock) {
                if (tools == null && connection.get() == c) {
                    tools = fresh;
                }
            }
            return fresh;
        } catch (RuntimeException e) {
            throw failed(c, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * @param timeout null for this server's {@link #defaultTimeout()} ({@code timeout} in rules.yaml, default 60 s)
     */
    @Override
    public ToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        Duration t = timeout == null ? callTimeout : timeout;
        McpConnection c = connection();
        try {
            ToolResult result = ToolResults.result(c.call(tool, arguments, t));
            markUp();
            return result;
        } catch (McpError e) {
            markUp();
            return ToolResult.error(e.getJsonRpcError() == null ? String.valueOf(e.getMessage())
                    : Failures.mcpErrorText(e));
        } catch (RuntimeException e) {
            throw failed(c, e);
        }
    }

    /**
     * True when the last contact succeeded, and before the first contact (a source connects on first
     * use, so an unused server is not reported down).
     */
    @Override
    public boolean up() {
        return problem == null;
    }

    @Override
    public String problem() {
        return problem;
    }

    /** Closes the connection: ends the session and stops the stdio process and its children. */
    @Override
    public void close() {
        McpConnection c;
        connectLock.lock();
        try {
            closed = true;
            c = connection.getAndSet(null);
            tools = null;
        } finally {
            connectLock.unlock();
        }
        if (c != null) {
            c.close();
        }
    }

    private McpConnection connection() {
        McpConnection c = connection.get();
        if (c != null && c.alive()) {
            return c;
        }
        connectLock.lock();
        try {
            if (closed) {
                throw new ToolSourceUnavailableException(name, "the source was closed (rules reloaded?)", null);
            }
            c = connection.get();
            if (c != null && c.alive()) {
                return c;
            }
            if (c != null && connection.compareAndSet(c, null)) {
                c.close();
            }
            Duration wait = backoff.remaining();
            if (wait.isPositive()) {
                String last = problem == null ? "not connected" : problem;
                throw new ToolSourceUnavailableException(name, last + " (next attempt in "
                        + Math.max(1, (wait.toMillis() + 999) / 1000) + "s)", null);
            }
            return open();
        } finally {
            connectLock.unlock();
        }
    }

    /** Opens a connection; called under the connect lock. */
    private McpConnection open() {
        synchronized (stateLock) {
            tools = null;
        }
        McpConnection c;
        try {
            c = McpConnection.open(name, endpoint, options.connectTimeout(), this::lost, this::toolsChanged);
        } catch (McpConnection.Interrupted e) {
            throw new ToolSourceUnavailableException(name, "interrupted while connecting", e);
        } catch (RuntimeException e) {
            backoff.failed();
            String reason = Failures.describe(e, endpoint);
            markDown(reason);
            log.debug("MCP server '{}': connecting failed", name, e);
            throw new ToolSourceUnavailableException(name, reason, e);
        }
        backoff.succeeded();
        connection.set(c);
        markUp();
        if (connectedBefore) {
            options.onReconnect().run();
            log.info("MCP server '{}' reconnected: {} over protocol {}", name, c.serverInfo(), c.protocolVersion());
        } else {
            log.info("MCP server '{}' connected: {} over protocol {}", name, c.serverInfo(), c.protocolVersion());
        }
        connectedBefore = true;
        return c;
    }

    private RuntimeException failed(McpConnection c, RuntimeException e) {
        if (e instanceof ToolCallTimeoutException timeout) {
            return timeout;
        }
        if (e instanceof McpConnection.Interrupted) {
            return new ToolSourceUnavailableException(name, "interrupted while waiting for the server", e);
        }
        String reason = c.lostReason() != null ? c.lostReason() : Failures.describe(e, endpoint);
        markDown(reason);
        if (connection.compareAndSet(c, null)) {
            synchronized (stateLock) {
                tools = null;
            }
        }
        c.close();
        return new ToolSourceUnavailableException(name, reason, e);
    }

    private void lost(String reason) {
        markDown(reason);
    }

    private void toolsChanged(List<ToolSpec> fresh) {
        synchronized (stateLock) {
            tools = fresh;
        }
        log.info("MCP server '{}': tool list changed ({} tools)", name, fresh.size());
    }

    private void markUp() {
        if (problem != null) {
            synchronized (stateLock) {
                problem = null;
            }
        }
    }

    private void markDown(String reason) {
        String before;
        synchronized (stateLock) {
            before = problem;
            problem = reason;
        }
        if (!reason.equals(before)) {
            log.warn("MCP server '{}' is unavailable: {}", name, reason);
        }
    }

    /** The protocol version the server chose on the current connection, or null when not connected. */
    String protocolVersion() {
        McpConnection c = connection.get();
        return c == null ? null : c.protocolVersion();
    }

    @Override
    public String toString() {
        return "McpToolSource[" + name + ", " + endpoint.describe() + "]";
    }
}
