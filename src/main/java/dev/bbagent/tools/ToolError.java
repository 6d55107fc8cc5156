package dev.bbagent.tools;

/**
 * A tool call the model can fix: a missing or malformed argument, or a request the tool refuses. It becomes an
 * error result the model reads, never an exception of the run.
 */
public final class ToolError extends RuntimeException {

    public ToolError(String message) {
        super(message);
    }
}
