package dev.bbagent.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One named source of tools: an MCP server bbagent connects to (stdio or HTTP), or a built-in toolset
 * served in-process. The agent only sees this interface.
 */
public interface ToolSource extends AutoCloseable {

    /** The server's name in rules.yaml ({@code bitbucket}, {@code nexus}). */
    String name();

    /**
     * The tools the server offers now (cached; refreshed when the server says the list changed).
     *
     * @throws ToolSourceUnavailableException when the server cannot be started or reached
     */
    List<ToolSpec> tools();

    /**
     * {@link #tools()}, waiting at most {@code within} (a run's time left) when that needs the server
     * to be started or reached first. Sources that never wait for a server ignore it.
     *
     * @param within null to wait as long as the source's own limits allow
     * @throws ToolSourceUnavailableException when the server cannot be started or reached in time
     */
    default List<ToolSpec> tools(Duration within) {
        return tools();
    }

    /**
     * Call a tool. A tool that fails in a way the model should hear about returns an error result;
     * this throws only when the server itself is unreachable or the call timed out.
     *
     * @throws ToolSourceUnavailableException the server is down (a transient failure of the run)
     * @param timeout the most the caller can wait (what is left of a run's time), or null; the call waits the
     *     shorter of this and the source's own limit (the server's {@code timeout} in rules.yaml, else
     *     {@code BBAGENT_TOOL_TIMEOUT})
     * @throws ToolCallTimeoutException the call took longer than that
     */
    ToolResult call(String tool, Map<String, Object> arguments, Duration timeout);

    /** Whether the last contact with the server succeeded (for /health/ready and bbagent_mcp_server_up). */
    boolean up();

    /** Why the server is down, or null when it is up. */
    String problem();

    @Override
    void close();
}
