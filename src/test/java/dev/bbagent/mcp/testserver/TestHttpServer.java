package dev.bbagent.mcp.testserver;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The test MCP server over Streamable HTTP, in this JVM: the SDK's servlet transport in Jetty on
 * 127.0.0.1 at {@code /mcp}. When built with an API key, requests without {@code x-api-key: <key>}
 * get 401. It counts the JSON-RPC requests it gets by method, and can break the next requests of a method
 * ({@link #breakNext}): answer HTTP 500, or close the TCP connection without an answer.
 */
public final class TestHttpServer implements AutoCloseable {

    public static final String API_KEY_HEADER = "x-api-key";

    private final String apiKey;
    private final Server jetty;
    private final McpSyncServer mcp;
    private final int port;
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> toBreak = new ConcurrentHashMap<>();
    private volatile Fault fault = Fault.HTTP_500;

    /** How {@link #breakNext} breaks a request. */
    public enum Fault {
        /** Answer HTTP 500 without a JSON-RPC body. */
        HTTP_500,
        /** Close the connection before answering (the client sees a reset or an early end of stream). */
        CLOSE_CONNECTION
    }

    private static final Pattern METHOD = Pattern.compile("\"method\"\\s*:\\s*\"([^\"]+)\"");

    private TestHttpServer(int port, String apiKey) throws Exception {
        this.apiKey = apiKey;
        var transport = HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
        AtomicReference<McpSyncServer> self = new AtomicReference<>();
        this.mcp = McpServer.sync(transport)
                .serverInfo("bbagent-test-http-server", "1.0")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).build())
                .tools(new ArrayList<>(TestTools.all(self::get, false)))
                .build();
        self.set(mcp);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("mcp-test-http-" + (port == 0 ? "new" : port));
        this.jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder servlet = new ServletHolder(transport);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/mcp");
        FilterHolder faults = new FilterHolder((Filter) (request, response, chain) -> {
            HttpServletRequest http = (HttpServletRequest) request;
            if (!"POST".equals(http.getMethod())) {
                chain.doFilter(request, response);
                return;
            }
            byte[] body = request.getInputStream().readAllBytes();
            Matcher m = METHOD.matcher(new String(body, StandardCharsets.UTF_8));
            String method = m.find() ? m.group(1) : "";
            requests.computeIfAbsent(method, k -> new AtomicInteger()).incrementAndGet();
            AtomicInteger left = toBreak.get(method);
            if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                if (fault == Fault.CLOSE_CONNECTION) {
                    ServletContextRequest.getServletContextRequest(request).getConnectionMetaData().getConnection()
                            .getEndPoint().close();
                } else {
                    ((HttpServletResponse) response).sendError(500, "broken on purpose");
                }
                return;
            }
            chain.doFilter(new Buffered(http, body), response);
        });
        faults.setAsyncSupported(true);
        context.addFilter(faults, "/*", EnumSet.of(DispatcherType.REQUEST));
        if (apiKey != null) {
            FilterHolder filter = new FilterHolder((Filter) (request, response, chain) -> {
                String key = ((HttpServletRequest) request).getHeader(API_KEY_HEADER);
                if (!apiKey.equals(key)) {
                    ((HttpServletResponse) response).sendError(401, "missing or wrong " + API_KEY_HEADER);
                    return;
                }
                chain.doFilter(request, response);
            });
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        jetty.setHandler(context);
        jetty.start();
        this.port = connector.getLocalPort();
    }

    /** Starts a server on a free port; {@code apiKey} null lets every request through. */
    public static TestHttpServer start(String apiKey) throws Exception {
        return new TestHttpServer(0, apiKey);
    }

    /** Starts a new server (new sessions, same tools) on the port this one had; stop this one first. */
    public TestHttpServer restart() throws Exception {
        return new TestHttpServer(port, apiKey);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    public int port() {
        return port;
    }

    /** How many JSON-RPC requests (or notifications) with this method arrived, broken ones included. */
    public int requests(String method) {
        AtomicInteger n = requests.get(method);
        return n == null ? 0 : n.get();
    }

    /** The next {@code count} requests with this JSON-RPC method fail with {@code how}. */
    public void breakNext(String method, int count, Fault how) {
        this.fault = how;
        toBreak.computeIfAbsent(method, k -> new AtomicInteger()).set(count);
    }

    /** Adds late_tool and sends notifications/tools/list_changed to every session. */
    public void announce() {
        TestTools.announce(mcp);
    }

    /** Stops listening; clients get connection refused. */
    public void stop() throws Exception {
        mcp.close();
        jetty.stop();
    }

    @Override
    public void close() throws Exception {
        if (!jetty.isStopped()) {
            stop();
        }
    }

    /** A request whose body was read already: serves it again to the servlet. */
    private static final class Buffered extends HttpServletRequestWrapper {
        private final byte[] body;

        Buffered(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("blocking reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }

        @Override
        public BufferedReader getReader() throws IOException {
            return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
        }
    }
}
