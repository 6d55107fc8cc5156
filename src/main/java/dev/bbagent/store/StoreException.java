package dev.bbagent.store;

/** Storage failed (disk full, file unwritable, writer stopped). Callers answer 503 and count it. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
