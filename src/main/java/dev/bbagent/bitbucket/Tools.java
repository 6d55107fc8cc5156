package dev.bbagent.bitbucket;

import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.mcp.ToolTransientException;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolCalls;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.util.Map;
import java.util.Set;

/**
 * Defines one tool: its spec and a handler that reads the arguments, runs the call, and maps failures. A
 * {@link ToolError} or a lasting {@link BitbucketException} (401, 403, 404, 410, ...) becomes an error result the
 * model reads; a transient one (429, 5xx, no connection) becomes a {@link ToolTransientException} with its
 * retry-after, so the job is retried later.
 */
final class Tools {

    /** What a tool does to Bitbucket, which sets its MCP annotations. */
    enum Effect {
        /** Only reads ({@code readOnlyHint}). */
        READ_ONLY,
        /** Adds or changes something that can be changed back. */
        WRITE,
        /** Deletes, or overwrites something that cannot be got back ({@code destructiveHint}). */
        DESTRUCTIVE
    }

    /** What a tool does with its arguments; answers the result text. */
    @FunctionalInterface
    interface Body {
        String run(ToolArgs args);
    }

    private Tools() {}

    static BuiltinTool define(String name, String description, ToolSchema schema, Effect effect, Body body) {
        ToolSpec spec = new ToolSpec(name, description, schema.toMap(), effect == Effect.READ_ONLY,
                effect == Effect.DESTRUCTIVE);
        Set<String> allowed = schema.names();
        return new BuiltinTool(spec, arguments -> call(arguments, allowed, body));
    }

    private static ToolResult call(Map<String, Object> arguments, Set<String> allowed, Body body) {
        return ToolCalls.result(() -> {
            try {
                return body.run(new ToolArgs(arguments == null ? Map.of() : arguments, allowed));
            } catch (IllegalArgumentException e) {
                // an argument ApiPath cannot put in a URL, e.g. a repo_slug ".."
                throw new ToolError("invalid argument: " + e.getMessage());
            }
        });
    }
}
