package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered the way Bitbucket Cloud does:
 * {@code {"type":"error","error":{"message":...,"detail"?:...,"fields"?:{...}}}}, with optional headers.
 * Thrown from anywhere inside a request; {@link Respond#install} turns it into the response.
 */
final class ApiError extends RuntimeException {

    private final int status;
    private final JsonNode detail;
    private final ObjectNode fields;
    private final Map<String, String> headers;

    ApiError(int status, String message, JsonNode detail, ObjectNode fields, Map<String, String> headers) {
        super(message);
        this.status = status;
        this.detail = detail;
        this.fields = fields;
        this.headers = Map.copyOf(headers);
    }

    ApiError(int status, String message) {
        this(status, message, null, null, Map.of());
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    /** A 400 naming the offending body field, as Bitbucket's form validation does. */
    static ApiError badField(String field, String problem) {
        ObjectNode fields = Json.obj();
        fields.set(field, Json.arr().add(problem));
        return new ApiError(400, field + ": " + problem, null, fields, Map.of());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, message);
    }

    /** The answer for a URL no route serves. */
    static ApiError noRoute() {
        return new ApiError(404, "Resource not found", TextNode.valueOf(
                "There is no API hosted at this URL.\n\nFor information about our API's, please refer to the "
                        + "documentation at: https://developer.atlassian.com/bitbucket/api/2/reference/"),
                null, Map.of());
    }

    ApiError withHeaders(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.putAll(more);
        return new ApiError(status, getMessage(), detail, fields, all);
    }

    int status() {
        return status;
    }

    Map<String, String> headers() {
        return headers;
    }

    ObjectNode body() {
        ObjectNode error = Json.obj();
        error.put("message", getMessage());
        if (detail != null) {
            error.set("detail", detail);
        }
        if (fields != null) {
            error.set("fields", fields);
        }
        ObjectNode body = Json.obj();
        body.put("type", "error");
        body.set("error", error);
        return body;
    }
}
