package dev.bbagent.mcp;

import dev.bbagent.config.Durations;
import dev.bbagent.config.RulesFile;
import io.modelcontextprotocol.spec.McpError;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 *   <li><b>Reconnects:</b> when the stdio process dies, or an HTTP server cannot be reached (connection
 *       refused, connect timeout, TLS or credentials refused, session unknown to the server), the call
 *       fails with {@link ToolSourceUnavailableException} and the next use connects again.
 *       Attempts are spaced by a backoff on the injected {@link Clock}: an attempt starts at least
 *       {@code minBackoff} after the previous one ended, and the wait doubles after each failed attempt
 *       up to {@code maxBackoff}; within the wait, uses fail at once with the last reason and
 *       "(next attempt in Ns)".
 *   <li><b>One failed HTTP request fails one call:</b> a connection reset or an HTTP 5xx on one request
 *       of a reachable server fails that call only; the session and the calls in flight on it go on.
 *   <li><b>Bounded:</b> at most {@code max_concurrency} requests (default {@value #DEFAULT_MAX_CONCURRENCY})
 *       are open to the server at once; the others wait for a slot within their own timeout.
 *   <li><b>Tool cache:</b> the tool list is fetched once per connection (concurrent first uses share one
 *       {@code tools/list} request) and replaced when the server sends {@code notifications/tools/list_changed}.
 *   <li><b>Errors:</b> a JSON-RPC error answer (unknown tool, bad arguments) becomes an error
 *       {@link ToolResult} so the model hears about it; only transport failures throw.
 * </ul>
 *
 * <p>Thread-safe: many runs may call one source at once; connecting happens once, under a lock.
 */
public final class McpToolSource implements ToolSource {

    private static final Logger log = LoggerFactory.getLogger(McpToolSource.class);

    /** Requests open to one server at once when rules.yaml gives no {@code max_concurrency}. */
    public static final int DEFAULT_MAX_CONCURRENCY = 32;

    /**
     * How sources connect and retry.
     *
     * @param clock decides when the next connection attempt may start (tests pass a clock they move)
     * @param connectTimeout for starting or reaching the server and the MCP handshake (npx may download first);
     *     a caller with less time left (a run's deadline, a call's timeout) cuts an attempt short
     * @param callTimeout per call when rules.yaml gives the server no {@code timeout}; a caller may only shorten it
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
    private final Semaphore slots;
    private final int maxConcurrency;
    private final AtomicReference<CompletableFuture<List<ToolSpec>>> listing = new AtomicReference<>();
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
        int limit = def.maxConcurrency() == null ? DEFAULT_MAX_CONCURRENCY : def.maxConcurrency();
        if (limit < 1) {
            throw new IllegalArgumentException("max_concurrency must be at least 1, not " + limit);
        }
        return new McpToolSource(name, Endpoint.of(def), options, timeout, limit);
    }

    McpToolSource(String name, Endpoint endpoint, Options options, Duration callTimeout, int maxConcurrency) {
        this.name = Objects.requireNonNull(name, "name");
        this.endpoint = endpoint;
        this.options = options;
        this.callTimeout = callTimeout;
        this.backoff = new Backoff(options.clock(), options.minBackoff(), options.maxBackoff());
        this.maxConcurrency = maxConcurrency;
        this.slots = new Semaphore(maxConcurrency, true);
    }

    @Override
    public String name() {
        return name;
    }

    /**
     * {@inheritDoc}
     *
     * <p>When many runs ask at once before the list is cached (a cold start), one {@code tools/list}
     * request goes out and the others wait for its answer, or its failure.
     */
    @Override
    public List<ToolSpec> tools() {
        return tools(Deadline.NONE);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Connecting takes at most the connect timeout and {@code within}; waiting for a request slot and
     * {@code tools/list} at most this server's {@code timeout} and what is left of {@code within}.
     */
    @Override
    public List<ToolSpec> tools(Duration within) {
        return tools(Deadline.in(within));
    }

    private List<ToolSpec> tools(Deadline deadline) {
        McpConnection c = connection(deadline);
        List<ToolSpec> cached = tools;
        if (cached != null) {
            return cached;
        }
        CompletableFuture<List<ToolSpec>> mine = new CompletableFuture<>();
        CompletableFuture<List<ToolSpec>> shared = listing.compareAndExchange(null, mine);
        Duration limit = deadline.cap(callTimeout);
        if (shared != null) {
            return awaitListing(shared, limit);
        }
        try {
            List<ToolSpec> fresh = list(c, limit);
            mine.complete(fresh);
            return fresh;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            listing.compareAndSet(mine, null);
        }
    }

    private List<ToolSpec> list(McpConnection c, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        acquire("tools/list", limit, limit);
        try {
            List<ToolSpec> fresh = c.listTools(remaining(deadline));
            markUp();
            synchronized (stateLock) {
                if (tools == null && connection.get() == c) {
                    tools = fresh;
                }
            }
            return fresh;
        } catch (RuntimeException e) {
            throw failed(c, e);
        } finally {
            slots.release();
        }
    }

    private List<ToolSpec> awaitListing(CompletableFuture<List<ToolSpec>> shared, Duration limit) {
        try {
            return shared.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ToolSourceUnavailableException u) {
                throw new ToolSourceUnavailableException(name, u.getMessage().substring(u.getMessage().indexOf(": ") + 2), u);
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ToolSourceUnavailableException(name, endpoint.describe() + " did not list its tools within "
                    + limit.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolSourceUnavailableException(name, "interrupted while waiting for the server", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The timeout covers the whole call: reconnecting when the connection was lost (at most the
     * connect timeout), waiting for a request slot and the call itself.
     *
     * @param timeout the caller's limit, or null; the shorter of it and this server's own limit ({@code timeout}
     *     in rules.yaml, else the options' call timeout) applies
     */
    @Override
    public ToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        Duration t = timeout == null || timeout.compareTo(callTimeout) > 0 ? callTimeout : timeout;
        long deadline = System.nanoTime() + t.toNanos();
        McpConnection c = connection(new Deadline(deadline));
        acquire(tool, remaining(deadline), t);
        try {
            ToolResult result = ToolResults.result(c.call(tool, arguments, remaining(deadline)));
            markUp();
            return result;
        } catch (McpError e) {
            markUp();
            return ToolResult.error(e.getJsonRpcError() == null ? String.valueOf(e.getMessage())
                    : Failures.mcpErrorText(e));
        } catch (ToolCallTimeoutException e) {
            throw new ToolCallTimeoutException(name, tool, t); // the whole timeout, slot wait included
        } catch (RuntimeException e) {
            throw failed(c, e);
        } finally {
            slots.release();
        }
    }

    /** The most requests open to this server at once ({@code max_concurrency}). */
    public int maxConcurrency() {
        return maxConcurrency;
    }

    /**
     * Waits for one of the server's request slots.
     *
     * @param wait the most to wait: what is left of {@code timeout}
     * @param timeout the caller's whole timeout, as the failure reports it
     */
    private void acquire(String what, Duration wait, Duration timeout) {
        boolean got;
        try {
            got = slots.tryAcquire(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolSourceUnavailableException(name, "interrupted while waiting for a free request slot", e);
        }
        if (!got) {
            throw new ToolCallTimeoutException(name, what, timeout, "all " + maxConcurrency
                    + " request slots (max_concurrency) stayed busy");
        }
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
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

    /**
     * The current connection, or a new one. Waiting for another caller's attempt and making one stop at
     * the caller's deadline; an attempt also stops at the connect timeout.
     */
    private McpConnection connection(Deadline deadline) {
        McpConnection c = connection.get();
        if (c != null && c.alive()) {
            return c;
        }
        lockConnect(deadline);
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
            Duration budget = deadline.cap(options.connectTimeout());
            if (budget.toMillis() < 1) {
                throw new ToolSourceUnavailableException(name, "no time was left to connect to "
                        + endpoint.describe(), null);
            }
            return open(budget);
        } finally {
            connectLock.unlock();
        }
    }

    private void lockConnect(Deadline deadline) {
        if (!deadline.bounded()) {
            connectLock.lock();
            return;
        }
        try {
            if (!connectLock.tryLock(Math.max(0, deadline.nanosLeft()), TimeUnit.NANOSECONDS)) {
                throw new ToolSourceUnavailableException(name, "another attempt to connect to "
                        + endpoint.describe() + " was still under way when the time to wait ran out", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolSourceUnavailableException(name, "interrupted while connecting", e);
        }
    }

    /** Opens a connection within {@code budget}; called under the connect lock. */
    private McpConnection open(Duration budget) {
        synchronized (stateLock) {
            tools = null;
        }
        McpConnection c;
        try {
            c = McpConnection.open(name, endpoint, budget, this::lost, this::toolsChanged);
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
        if (endpoint instanceof Endpoint.Http && c.lostReason() == null && !Failures.sessionBroken(e)) {
            // The server was reached, only this request failed (a reset connection, an HTTP 5xx): the
            // session and the other calls in flight on it stay. Not retried: a tools/call may have run.
            log.debug("MCP server '{}': one request failed", name, e);
            return new ToolSourceUnavailableException(name, reason, e);
        }
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

    /** When the caller stops waiting, on {@link System#nanoTime()}; {@link #NONE} when it waits as long as it takes. */
    private record Deadline(long at, boolean bounded) {

        static final Deadline NONE = new Deadline(0, false);

        Deadline(long at) {
            this(at, true);
        }

        static Deadline in(Duration within) {
            return within == null ? NONE : new Deadline(System.nanoTime() + within.toNanos());
        }

        long nanosLeft() {
            return at - System.nanoTime();
        }

        /** {@code limit}, or the time left when that is less (never negative). */
        Duration cap(Duration limit) {
            if (!bounded) {
                return limit;
            }
            Duration left = Duration.ofNanos(Math.max(0, nanosLeft()));
            return left.compareTo(limit) < 0 ? left : limit;
        }
    }
}
