package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/** Small helpers to build and read the JSON trees the fake answers and accepts. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode obj() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode arr() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static ObjectNode href(String url) {
        return obj().put("href", url);
    }

    /** {@code links("self", url1, "html", url2)} gives {@code {"self":{"href":url1},"html":{"href":url2}}}. */
    static ObjectNode links(String... namesAndUrls) {
        ObjectNode links = obj();
        for (int i = 0; i + 1 < namesAndUrls.length; i += 2) {
            links.set(namesAndUrls[i], href(namesAndUrls[i + 1]));
        }
        return links;
    }

    /** Bitbucket's rendered text: {@code {raw, markup:"markdown", html, type:"rendered"}}. */
    static ObjectNode rendered(String raw) {
        String text = raw == null ? "" : raw;
        ObjectNode node = obj();
        node.put("raw", text);
        node.put("markup", "markdown");
        node.put("html", html(text));
        node.put("type", "rendered");
        return node;
    }

    /** A minimal Markdown rendering: escaped text, one paragraph per blank-line-separated block. */
    static String html(String raw) {
        if (raw.isBlank()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (String block : raw.strip().split("\\n\\s*\\n")) {
            out.append("<p>").append(escape(block.strip()).replace("\n", "<br>\n")).append("</p>");
        }
        return out.toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static byte[] bytes(JsonNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a JSON tree", e);
        }
    }

    /** The request body as JSON; an empty body reads as {@code {}}; anything else malformed is a 400. */
    static JsonNode parseBody(byte[] body) {
        if (body.length == 0) {
            return obj();
        }
        try {
            JsonNode node = MAPPER.readTree(body);
            return node == null ? obj() : node;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("Invalid JSON in request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("Unreadable request body: " + e.getMessage());
        }
    }

    /** The value at a path as text, or null when any step is missing, null, or not a value. */
    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.isValueNode() ? n.asText() : null;
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode cur = node;
        for (String p : path) {
            if (cur == null || !cur.isObject()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur == null || cur.isNull() || cur.isMissingNode() ? null : cur;
    }
}
