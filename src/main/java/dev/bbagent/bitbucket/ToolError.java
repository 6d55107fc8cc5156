package dev.bbagent.bitbucket;

/**
 * A tool call the model can fix: a missing or malformed argument, or a request the tool refuses. It becomes an
 * error result the model reads, never an exception of the run.
 */
final class ToolError extends RuntimeException {

    ToolError(String message) {
        super(message);
    }
}
