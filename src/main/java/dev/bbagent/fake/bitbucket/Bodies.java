package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** Reads request bodies: JSON objects, with typed, null-safe field access that answers 400 on a wrong type. */
final class Bodies {

    private Bodies() {}

    /** The body as a JSON object ({@code {}} when empty). */
    static JsonNode object(Context ctx) {
        JsonNode body = Json.parseBody(ctx.bodyAsBytes());
        if (!body.isObject()) {
            throw ApiError.badRequest("The request body must be a JSON object.");
        }
        return body;
    }

    static String text(JsonNode body, String... path) {
        JsonNode n = Json.at(body, path);
        if (n != null && !n.isTextual()) {
            throw ApiError.badField(String.join(".", path), "Expected a string.");
        }
        return n == null ? null : n.asText();
    }

    static Integer integer(JsonNode body, String... path) {
        JsonNode n = Json.at(body, path);
        if (n != null && !n.canConvertToInt()) {
            throw ApiError.badField(String.join(".", path), "Expected an integer.");
        }
        return n == null ? null : n.asInt();
    }

    static Long number(JsonNode body, String... path) {
        JsonNode n = Json.at(body, path);
        if (n != null && !n.canConvertToLong()) {
            throw ApiError.badField(String.join(".", path), "Expected an integer.");
        }
        return n == null ? null : n.asLong();
    }

    static Boolean bool(JsonNode body, String... path) {
        JsonNode n = Json.at(body, path);
        if (n != null && !n.isBoolean()) {
            throw ApiError.badField(String.join(".", path), "Expected true or false.");
        }
        return n == null ? null : n.asBoolean();
    }

    /** The comment text at {@code content.raw}. */
    static String commentText(Context ctx) {
        return text(object(ctx), "content", "raw");
    }
}
