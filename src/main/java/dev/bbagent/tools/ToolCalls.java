package dev.bbagent.tools;

import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolTransientException;
import java.util.function.Supplier;

/**
 * Runs a built-in tool call and maps its failures: a {@link ToolError} or a lasting {@link ApiException} (401, 403,
 * 404, 410, ...) becomes an error result the model reads; a transient one (429, 5xx, no connection) becomes a
 * {@link ToolTransientException} with its retry-after, so the job is retried later.
 */
public final class ToolCalls {

    private ToolCalls() {}

    /** The result of {@code call}, which answers the result text. */
    public static ToolResult result(Supplier<String> call) {
        try {
            return ToolResult.ok(call.get());
        } catch (ToolError e) {
            return ToolResult.error(e.getMessage());
        } catch (ApiException e) {
            if (e.isTransient()) {
                throw new ToolTransientException(e.getMessage(), e.retryAfter().orElse(null), e);
            }
            return ToolResult.error(e.getMessage());
        }
    }
}
