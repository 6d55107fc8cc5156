package dev.bbagent.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A built-in toolset under the name rules.yaml gives it (a server {@code issues: {builtin: jira}}
 * is named {@code issues}), with the server's {@code timeout} for calls that pass none. The caller
 * of {@link McpServers} owns the built-in source: closing this view does not close it.
 */
final class RenamedToolSource implements ToolSource {

    private final String name;
    private final ToolSource builtin;
    private final Duration defaultTimeout;

    RenamedToolSource(String name, ToolSource builtin, Duration defaultTimeout) {
        this.name = name;
        this.builtin = builtin;
        this.defaultTimeout = defaultTimeout;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ToolSpec> tools() {
        try {
            return builtin.tools();
        } catch (ToolSourceUnavailableException e) {
            throw renamed(e);
        }
    }

    @Override
    public ToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        try {
            return builtin.call(tool, arguments,
                    timeout == null || timeout.compareTo(defaultTimeout) > 0 ? defaultTimeout : timeout);
        } catch (ToolSourceUnavailableException e) {
            throw renamed(e);
        }
    }

    private ToolSourceUnavailableException renamed(ToolSourceUnavailableException e) {
        if (e.server().equals(name)) {
            return e;
        }
        String prefix = "MCP server '" + e.server() + "' is unavailable: ";
        String message = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new ToolSourceUnavailableException(name, message, e);
    }

    @Override
    public boolean up() {
        return builtin.up();
    }

    @Override
    public String problem() {
        return builtin.problem();
    }

    @Override
    public void close() {
        // the caller owns the built-in source
    }
}
