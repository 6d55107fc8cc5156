package dev.bbagent.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * bbagent's built-in tools as an MCP server, the same objects the agent uses in-process: over stdio
 * ({@code bbagent mcp --stdio}) for Claude Desktop, Cursor and the like, or over Streamable HTTP
 * ({@code bbagent mcp --http}) with an optional bearer token.
 */
public final class BuiltinMcpServer {

    private BuiltinMcpServer() {}

    /** Serve over the given streams until the client closes its end. */
    public static McpSyncServer stdio(String name, String version, List<BuiltinTool> tools, InputStream in,
            OutputStream out) {
        return McpServer.sync(new StdioServerTransportProvider(McpJsonDefaults.getMapper(), in, out))
                .serverInfo(name, version)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.stream().map(BuiltinMcpServer::spec).toList())
                .build();
    }

    /** A running Streamable HTTP server at {@code /mcp}. */
    public static final class Http implements AutoCloseable {
        private final Server jetty;
        private final McpSyncServer mcp;
        private final int port;

        private Http(Server jetty, McpSyncServer mcp, int port) {
            this.jetty = jetty;
            this.mcp = mcp;
            this.port = port;
        }

        public int port() {
            return port;
        }

        public void join() throws InterruptedException {
            jetty.join();
        }

        @Override
        public void close() throws Exception {
            mcp.close();
            jetty.stop();
        }
    }

    /**
     * @param token when set, every request must send {@code Authorization: Bearer <token>}
     */
    public static Http http(String name, String version, List<BuiltinTool> tools, String host, int port, String token)
            throws Exception {
        var transport = HttpServletStreamableServerTransportProvider.builder().mcpEndpoint("/mcp").build();
        McpSyncServer mcp = McpServer.sync(transport)
                .serverInfo(name, version)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(tools.stream().map(BuiltinMcpServer::spec).toList())
                .build();
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("bbagent-mcp-http");
        Server jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost(host);
        connector.setPort(port);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder servlet = new ServletHolder(transport);
        servlet.setAsyncSupported(true);
        context.addServlet(servlet, "/mcp");
        if (token != null && !token.isEmpty()) {
            byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
            FilterHolder filter = new FilterHolder((Filter) (request, response, chain) -> {
                String given = ((HttpServletRequest) request).getHeader("Authorization");
                if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected)) {
                    HttpServletResponse r = (HttpServletResponse) response;
                    r.setHeader("WWW-Authenticate", "Bearer");
                    r.sendError(401, "send Authorization: Bearer <BBAGENT_MCP_TOKEN>");
                    return;
                }
                chain.doFilter(request, response);
            });
            filter.setAsyncSupported(true);
            context.addFilter(filter, "/*", EnumSet.of(DispatcherType.REQUEST));
        }
        jetty.setHandler(context);
        jetty.start();
        return new Http(jetty, mcp, connector.getLocalPort());
    }

    private static SyncToolSpecification spec(BuiltinTool t) {
        ToolSpec s = t.spec();
        McpSchema.Tool tool = McpSchema.Tool.builder().name(s.name()).description(s.description())
                .inputSchema(s.inputSchema())
                .annotations(new McpSchema.ToolAnnotations(null, s.readOnly(), !s.readOnly() && s.destructive(),
                        s.readOnly() ? Boolean.TRUE : Boolean.FALSE, null, null))
                .build();
        return SyncToolSpecification.builder().tool(tool).callHandler((exchange, req) -> {
            Map<String, Object> args = req.arguments() == null ? Map.of() : req.arguments();
            try {
                ToolResult r = t.handler().apply(args);
                return CallToolResult.builder().addTextContent(r.text()).isError(r.isError()).build();
            } catch (ToolTransientException e) {
                String wait = e.retryAfter().map(d -> "; try again in " + d.toSeconds() + " s").orElse("");
                return CallToolResult.builder().addTextContent("temporarily unavailable: " + e.getMessage() + wait)
                        .isError(true).build();
            } catch (RuntimeException e) {
                return CallToolResult.builder().addTextContent(t.name() + " failed: " + e.getMessage()).isError(true)
                        .build();
            }
        }).build();
    }
}
