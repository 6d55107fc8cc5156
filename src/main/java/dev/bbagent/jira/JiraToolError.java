package dev.bbagent.jira;

/** A tool call the model can fix (a bad argument, an unknown transition): an error result, never a failed run. */
final class JiraToolError extends RuntimeException {

    JiraToolError(String message) {
        super(message);
    }
}
