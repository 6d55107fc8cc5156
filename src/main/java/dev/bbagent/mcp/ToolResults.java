package dev.bbagent.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Converts the SDK's tool and result types into bbagent's {@link ToolSpec} and {@link ToolResult}. */
final class ToolResults {

    private ToolResults() {}

    static List<ToolSpec> specs(List<McpSchema.Tool> tools) {
        return tools == null ? List.of() : tools.stream().map(ToolResults::spec).toList();
    }

    /**
     * The MCP defaults apply when a tool has no annotations or leaves a hint out: {@code readOnlyHint}
     * false and {@code destructiveHint} true. A tool that says nothing is therefore treated as a
     * destructive write.
     */
    static ToolSpec spec(McpSchema.Tool tool) {
        McpSchema.ToolAnnotations a = tool.annotations();
        boolean readOnly = a != null && Boolean.TRUE.equals(a.readOnlyHint());
        boolean destructive = a == null || a.destructiveHint() == null || a.destructiveHint();
        String description = tool.description() != null && !tool.description().isBlank() ? tool.description()
                : a != null && a.title() != null ? a.title() : tool.title();
        return new ToolSpec(tool.name(), description, tool.inputSchema(), readOnly, destructive);
    }

    /**
     * The text of a result: its text items joined by newlines, other items described briefly
     * ({@code [image: image/png, 1234 bytes]}); the structured content as JSON when there is nothing else.
     */
    static ToolResult result(McpSchema.CallToolResult r) {
        List<String> parts = new ArrayList<>();
        if (r.content() != null) {
            for (McpSchema.Content c : r.content()) {
                parts.add(text(c));
            }
        }
        if (parts.isEmpty() && r.structuredContent() != null) {
            parts.add(json(r.structuredContent()));
        }
        return new ToolResult(String.join("\n", parts), Boolean.TRUE.equals(r.isError()));
    }

    private static String text(McpSchema.Content c) {
        return switch (c) {
            case McpSchema.TextContent t -> t.text() == null ? "" : t.text();
            case McpSchema.ImageContent i -> "[image: " + i.mimeType() + ", " + base64Bytes(i.data()) + " bytes]";
            case McpSchema.AudioContent a -> "[audio: " + a.mimeType() + ", " + base64Bytes(a.data()) + " bytes]";
            case McpSchema.ResourceLink l -> "[resource link: " + l.uri()
                    + (l.name() == null ? "" : " (" + l.name() + ")") + "]";
            case McpSchema.EmbeddedResource e -> resource(e.resource());
            default -> "[" + c.type() + " content]";
        };
    }

    private static String resource(McpSchema.ResourceContents r) {
        if (r instanceof McpSchema.TextResourceContents t) {
            return "[resource: " + t.uri() + "]\n" + (t.text() == null ? "" : t.text());
        }
        if (r instanceof McpSchema.BlobResourceContents b) {
            return "[resource: " + b.uri() + ", " + b.mimeType() + ", " + base64Bytes(b.blob()) + " bytes]";
        }
        return "[resource: " + (r == null ? "?" : r.uri()) + "]";
    }

    /** The decoded size of base64 text, without decoding it. */
    static long base64Bytes(String data) {
        if (data == null) {
            return 0;
        }
        String d = data.strip();
        int padding = d.endsWith("==") ? 2 : d.endsWith("=") ? 1 : 0;
        return Math.max(0, (long) d.length() * 3 / 4 - padding);
    }

    private static String json(Object value) {
        try {
            return McpJsonDefaults.getMapper().writeValueAsString(value);
        } catch (IOException e) {
            return String.valueOf(value);
        }
    }
}
