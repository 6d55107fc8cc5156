package dev.bbagent.mcp;

import java.util.Map;
import java.util.Objects;

/**
 * One tool as a server describes it: the MCP {@code Tool} without transport details.
 *
 * @param inputSchema the JSON schema of the arguments, as a map (passed to the model unchanged)
 * @param readOnly MCP {@code readOnlyHint}: the tool changes nothing
 * @param destructive MCP {@code destructiveHint}: the tool may delete or overwrite (ignored when readOnly)
 */
public record ToolSpec(String name, String description, Map<String, Object> inputSchema, boolean readOnly,
        boolean destructive) {

    public ToolSpec {
        Objects.requireNonNull(name, "name");
        description = description == null ? "" : description;
        inputSchema = inputSchema == null ? Map.of("type", "object") : Map.copyOf(inputSchema);
    }
}
