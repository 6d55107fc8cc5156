package dev.bbagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in every string of a tree with environment values.
 * {@code $${...}} stays literal. Values stay strings; the schema check reads "12" as a number where a
 * number is expected, so {@code max_turns: ${MAX_TURNS:-12}} works.
 */
public final class EnvInterpolation {

    private static final Pattern REF = Pattern.compile("\\$\\$\\{|\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private EnvInterpolation() {}

    /**
     * @param missing called with (pointer, variable) for each variable that is unset and has no default;
     *     returns true when that is a problem (the text then reads empty), false to keep {@code ${VAR}} as written
     * @return a new tree; the input is not changed
     */
    public static JsonNode apply(JsonNode node, Map<String, String> env, BiPredicate<String, String> missing) {
        return walk(node, "", env, missing);
    }

    private static JsonNode walk(JsonNode node, String pointer, Map<String, String> env, BiPredicate<String, String> missing) {
        if (node == null) {
            return null;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String child = pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                out.set(e.getKey(), walk(e.getValue(), child, env, missing));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(walk(node.get(i), pointer + "/" + i, env, missing));
            }
            return out;
        }
        if (node.isTextual() && node.asText().contains("${")) {
            return JsonNodeFactory.instance.textNode(substitute(node.asText(), pointer, env, missing));
        }
        return node;
    }

    static String substitute(String text, String pointer, Map<String, String> env, BiPredicate<String, String> missing) {
        Matcher m = REF.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement;
            if (m.group().equals("$${")) {
                replacement = "${";
            } else {
                String value = env.get(m.group(1));
                if (value != null && !value.isEmpty()) {
                    replacement = value;
                } else if (m.group(2) != null) {
                    replacement = m.group(2);
                } else {
                    replacement = missing.test(pointer, m.group(1)) ? "" : m.group();
                }
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
