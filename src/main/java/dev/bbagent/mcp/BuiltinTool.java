package dev.bbagent.mcp;

import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A tool bbagent implements itself (the Bitbucket and Jira toolsets): its description and the code that
 * runs it. The same objects are served in-process ({@link BuiltinToolSource}) and over MCP.
 *
 * @param handler runs the call; returns an error result for failures the model should see, throws
 *     {@link ToolTransientException} for ones the job should retry later (rate limits, outages)
 */
public record BuiltinTool(ToolSpec spec, Function<Map<String, Object>, ToolResult> handler) {

    public BuiltinTool {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(handler, "handler");
    }

    public String name() {
        return spec.name();
    }
}
