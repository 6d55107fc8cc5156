package dev.bbagent.mcp.testserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A minimal MCP server over HTTP that always answers protocol version 2024-11-05 with plain JSON
 * replies, as older servers do; written by hand because the SDK's servlet transport cannot be
 * limited to that version. One tool: {@code echo}. Remembers the {@code MCP-Protocol-Version}
 * header of the last request.
 */
public final class LegacyHttpServer implements AutoCloseable {

    public static final String VERSION = "2024-11-05";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Server jetty;
    private final int port;
    private volatile String lastProtocolHeader;

    private LegacyHttpServer() throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("mcp-test-legacy-http");
        jetty = new Server(threads);
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new Endpoint()), "/mcp");
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    public static LegacyHttpServer start() throws Exception {
        return new LegacyHttpServer();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + port + "/mcp");
    }

    /** The MCP-Protocol-Version header of the last request, or null. */
    public String lastProtocolHeader() {
        return lastProtocolHeader;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    private final class Endpoint extends HttpServlet {

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            lastProtocolHeader = req.getHeader("MCP-Protocol-Version");
            JsonNode message = JSON.readTree(req.getInputStream());
            if (!message.has("id")) {
                resp.setStatus(202);
                return;
            }
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").set("id", message.get("id"));
            Object result = switch (message.path("method").asText()) {
                case "initialize" -> Map.of("protocolVersion", VERSION, "capabilities", Map.of("tools", Map.of()),
                        "serverInfo", Map.of("name", "legacy-test-server", "version", "0.1"));
                case "tools/list" -> Map.of("tools", List.of(Map.of("name", "echo", "description", "Echoes the text",
                        "inputSchema", Map.of("type", "object", "properties", Map.of("text", Map.of("type", "string"))))));
                case "tools/call" -> Map.of("content", List.of(Map.of("type", "text",
                        "text", "echo: " + message.path("params").path("arguments").path("text").asText())));
                case "ping" -> Map.of();
                default -> null;
            };
            if (result == null) {
                reply.set("error", JSON.valueToTree(Map.of("code", -32601, "message", "Method not found")));
            } else {
                reply.set("result", JSON.valueToTree(result));
            }
            resp.setStatus(200);
            resp.setContentType("application/json");
            JSON.writeValue(resp.getOutputStream(), reply);
        }

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(405);
        }

        @Override
        protected void doDelete(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(405);
        }
    }
}
