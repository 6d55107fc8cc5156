package dev.bbagent.rules;

/** The rules file cannot be used; the message lists every problem with file and line. */
public final class RulesException extends RuntimeException {

    public RulesException(String message) {
        super(message);
    }
}
