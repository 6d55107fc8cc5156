package dev.bbagent.webhook;

import com.fasterxml.jackson.databind.JsonNode;

/** Null-safe reads from a Jackson tree: a missing or null field reads as "" or 0. */
final class Json {

    private Json() {}

    static JsonNode at(JsonNode node, String... path) {
        JsonNode cur = node;
        for (String p : path) {
            if (cur == null || cur.isNull() || cur.isMissingNode()) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur == null || cur.isNull() || cur.isMissingNode() ? null : cur;
    }

    static String text(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null) {
            return "";
        }
        return n.isValueNode() ? n.asText() : "";
    }

    static long number(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        if (n == null) {
            return 0;
        }
        if (n.isNumber()) {
            return n.asLong();
        }
        try {
            return Long.parseLong(n.asText().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static boolean bool(JsonNode node, String... path) {
        JsonNode n = at(node, path);
        return n != null && n.asBoolean(false);
    }

    static String firstNonEmpty(String... values) {
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                return v;
            }
        }
        return "";
    }
}
