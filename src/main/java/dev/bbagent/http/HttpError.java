package dev.bbagent.http;

/**
 * An error answered to an HTTP client as {@code {"error": code, "message": message}}. Thrown from any
 * route; mapped to a response in one place ({@link Errors}).
 */
public final class HttpError extends RuntimeException {

    private final int status;
    private final String code;

    public HttpError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, "bad_request", message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message);
    }
}
