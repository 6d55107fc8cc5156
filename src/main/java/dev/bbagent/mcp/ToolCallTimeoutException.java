package dev.bbagent.mcp;

import java.time.Duration;

/** A tool call did not answer in time. The model is told; the run goes on. */
public final class ToolCallTimeoutException extends RuntimeException {

    public ToolCallTimeoutException(String server, String tool, Duration timeout) {
        super("tool " + server + "." + tool + " did not answer within " + timeout.toMillis() + " ms");
    }
}
