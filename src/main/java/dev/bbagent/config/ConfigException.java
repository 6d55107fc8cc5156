package dev.bbagent.config;

/** Configuration is wrong; the message says what to set or fix. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
