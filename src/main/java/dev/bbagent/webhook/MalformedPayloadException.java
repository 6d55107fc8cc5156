package dev.bbagent.webhook;

/** The body is JSON but not the shape its event key promises. Answered with 400. */
public final class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }
}
