package dev.bbagent.mcp;

/**
 * What a tool call returned: its text content, and whether the server flagged it as an error
 * (MCP {@code isError}). Errors are results, not exceptions: the model reads them and can react.
 */
public record ToolResult(String text, boolean isError) {

    public ToolResult {
        text = text == null ? "" : text;
    }

    public static ToolResult ok(String text) {
        return new ToolResult(text, false);
    }

    public static ToolResult error(String text) {
        return new ToolResult(text, true);
    }
}
