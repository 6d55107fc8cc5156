package dev.bbagent.mcp;

/** A tool server cannot be started or reached. Runs that need it fail as transient, with this reason. */
public final class ToolSourceUnavailableException extends RuntimeException {

    private final String server;

    public ToolSourceUnavailableException(String server, String message, Throwable cause) {
        super("MCP server '" + server + "' is unavailable: " + message, cause);
        this.server = server;
    }

    public String server() {
        return server;
    }
}
