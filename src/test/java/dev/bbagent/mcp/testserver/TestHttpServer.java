package dev.bbagent.mcp.testserver;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The test MCP server over Streamable HTTP, in this JVM: the SDK's servlet transport in Jetty on
 * 127.0.0.1 at {@code /mcp}. When built with an API key, requests without {@code x-api-key: <key>}
 * get 401.
 */
public final class TestHttpServer implements AutoCloseable {

    public static final String API_KEY_HEADER = "x-api-key";

    private final String apiKey;
    private final Server jetty;
    private final McpSyncServer mcp;
    private final int port;

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
}
