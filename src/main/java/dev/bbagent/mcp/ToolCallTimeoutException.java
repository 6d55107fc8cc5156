package dev.bbagent.mcp;

import java.time.Duration;

/** A tool call did not answer in time. The model is told; the run goes on. */
public final class ToolCallTimeoutException extends RuntimeException {

    public ToolCallTimeoutException(String server, String tool, Duration timeout) {
        super("tool " + server + "." + tool + " did not answer within " + timeout.toMillis() + " ms");
    }

    /** The call did not start within its timeout, for {@code reason}. */
    public ToolCallTimeoutException(String server, String tool, Duration timeout, String reason) {
        super("tool " + server + "." + tool + " did not start within " + timeout.toMillis() + " ms: " + reason);
    }
}
