package dev.bbagent.mcp;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A tool source that cannot work, with the reason: a built-in toolset that is not configured
 * ({@code "built-in 'jira' is not configured: set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN"}),
 * or a server definition bbagent cannot use. Every use throws {@link ToolSourceUnavailableException}.
 */
public final class UnavailableToolSource implements ToolSource {

    private final String name;
    private final String reason;

    public UnavailableToolSource(String name, String reason) {
        this.name = Objects.requireNonNull(name, "name");
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ToolSpec> tools() {
        throw new ToolSourceUnavailableException(name, reason, null);
    }

    @Override
    public ToolResult call(String tool, Map<String, Object> arguments, Duration timeout) {
        throw new ToolSourceUnavailableException(name, reason, null);
    }

    @Override
    public boolean up() {
        return false;
    }

    @Override
    public String problem() {
        return reason;
    }

    @Override
    public void close() {}
}
