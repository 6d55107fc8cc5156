package dev.bbagent.mcp.testserver;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import io.modelcontextprotocol.spec.McpSchema.ToolAnnotations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The tools of the test MCP server, the same over stdio and HTTP:
 * {@code echo}, {@code add} (read-only), {@code fail} (answers isError), {@code slow} (sleeps),
 * {@code write_note} (a write, not destructive), {@code delete_note} (destructive), {@code picture}
 * (text and an image), {@code env} and {@code cwd} (the process's environment and folder), {@code announce} (no annotations; adds {@code late_tool} and sends
 * {@code notifications/tools/list_changed}), and with {@code exitTool} {@code exit} (writes to stderr
 * and exits with a code).
 */
public final class TestTools {

    public static final String LATE_TOOL = "late_tool";
    /** Four bytes, base64. */
    public static final String PNG_DATA = "AAECAw==";

    private TestTools() {}

    public static List<SyncToolSpecification> all(Supplier<McpSyncServer> server, boolean exitTool) {
        List<SyncToolSpecification> tools = new ArrayList<>(List.of(
                tool("echo", "Echoes the text", schema("text", "string"), hints(true, false),
                        (ex, req) -> text("echo: " + req.arguments().get("text"))),
                tool("add", "Adds two numbers", schema("a", "number", "b", "number"), hints(true, false),
                        (ex, req) -> text(sum(req.arguments()))),
                tool("fail", "Always fails", schema("message", "string"), hints(true, false),
                        (ex, req) -> CallToolResult.builder().addTextContent("failed: " + req.arguments().get("message"))
                                .isError(true).build()),
                tool("slow", "Sleeps ms milliseconds", schema("ms", "integer"), hints(true, false), TestTools::slow),
                tool("write_note", "Writes a note", schema("text", "string"), hints(false, false),
                        (ex, req) -> text("noted")),
                tool("delete_note", "Deletes a note", schema("id", "string"), hints(false, true),
                        (ex, req) -> text("deleted")),
                tool("picture", "Text and a tiny image", schema(), hints(true, false),
                        (ex, req) -> CallToolResult.builder().addTextContent("a picture:")
                                .addContent(new McpSchema.ImageContent(null, PNG_DATA, "image/png")).build()),
                tool("announce", "Adds late_tool and tells the clients", schema(), null,
                        (ex, req) -> announce(server.get())),
                tool("env", "The value of an environment variable, or <unset>", schema("name", "string"),
                        hints(true, false), (ex, req) -> text(String.valueOf(
                                System.getenv().getOrDefault(String.valueOf(req.arguments().get("name")), "<unset>")))),
                tool("cwd", "The working folder", schema(), hints(true, false),
                        (ex, req) -> text(System.getProperty("user.dir")))));
        if (exitTool) {
            tools.add(tool("exit", "Writes message to stderr and exits with code", schema("code", "integer",
                    "message", "string"), hints(false, false), TestTools::exit));
        }
        return tools;
    }

    /** Adds {@link #LATE_TOOL} (once) and sends notifications/tools/list_changed. */
    public static CallToolResult announce(McpSyncServer server) {
        if (server.listTools().stream().noneMatch(t -> t.name().equals(LATE_TOOL))) {
            server.addTool(tool(LATE_TOOL, "Arrived later", schema(), hints(true, false),
                    (ex, req) -> text("late")));
        }
        server.notifyToolsListChanged();
        return text("announced");
    }

    private static CallToolResult slow(Object exchange, McpSchema.CallToolRequest req) {
        long ms = ((Number) req.arguments().getOrDefault("ms", 1000)).longValue();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return text("slept " + ms + " ms");
    }

    private static CallToolResult exit(Object exchange, McpSchema.CallToolRequest req) {
        int code = ((Number) req.arguments().getOrDefault("code", 1)).intValue();
        System.err.println(req.arguments().getOrDefault("message", "exiting"));
        System.err.flush();
        Runtime.getRuntime().halt(code);
        return text("unreachable");
    }

    private static String sum(Map<String, Object> args) {
        double s = ((Number) args.get("a")).doubleValue() + ((Number) args.get("b")).doubleValue();
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }

    private static ToolAnnotations hints(boolean readOnly, boolean destructive) {
        return new ToolAnnotations(null, readOnly, destructive, null, null, null);
    }

    /** An object schema with the given (name, type) pairs, all required. */
    private static Map<String, Object> schema(String... nameTypes) {
        Map<String, Object> props = new java.util.LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (int i = 0; i < nameTypes.length; i += 2) {
            props.put(nameTypes[i], Map.of("type", nameTypes[i + 1]));
            required.add(nameTypes[i]);
        }
        return Map.of("type", "object", "properties", props, "required", required);
    }

    private static SyncToolSpecification tool(String name, String description, Map<String, Object> schema,
            ToolAnnotations annotations,
            BiFunction<io.modelcontextprotocol.server.McpSyncServerExchange, McpSchema.CallToolRequest, CallToolResult> handler) {
        Tool.Builder tool = Tool.builder().name(name).description(description).inputSchema(schema);
        if (annotations != null) {
            tool.annotations(annotations);
        }
        return SyncToolSpecification.builder().tool(tool.build()).callHandler(handler).build();
    }
}
