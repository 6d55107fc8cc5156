package dev.bbagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document read into a Jackson tree that remembers the line of every node, so that every
 * problem can name the line it is on. Duplicate keys, which YAML parsers silently resolve, are problems.
 */
public final class YamlTree {

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonNode root;
    private final Map<String, Integer> lines;
    private final List<Problem> problems;

    private YamlTree(JsonNode root, Map<String, Integer> lines, List<Problem> problems) {
        this.root = root;
        this.lines = lines;
        this.problems = problems;
    }

    /** Parse; a syntax error yields a tree with a null root and the error as a problem. */
    public static YamlTree parse(String file, String text) {
        Map<String, Integer> lines = new HashMap<>();
        List<Problem> problems = new ArrayList<>();
        try (JsonParser p = YAML.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                problems.add(new Problem(file, 1, "", "the file is empty; it needs at least 'version: 1' and 'rules:'"));
                return new YamlTree(null, lines, problems);
            }
            JsonNode root = read(p, "", lines, problems, file);
            return new YamlTree(root, lines, problems);
        } catch (IOException e) {
            int line = 0;
            if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
                line = jpe.getLocation().getLineNr();
            }
            String msg = e.getMessage() == null ? "unreadable YAML" : e.getMessage().lines().findFirst().orElse("");
            problems.add(new Problem(file, line, "", "not valid YAML: " + msg));
            return new YamlTree(null, lines, problems);
        }
    }

    private static JsonNode read(JsonParser p, String pointer, Map<String, Integer> lines, List<Problem> problems,
            String file) throws IOException {
        lines.putIfAbsent(pointer, p.currentTokenLocation().getLineNr());
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT -> {
                ObjectNode obj = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String child = pointer + "/" + escape(key);
                    int keyLine = p.currentTokenLocation().getLineNr();
                    if (obj.has(key)) {
                        problems.add(new Problem(file, keyLine, display(pointer), "duplicate key '" + key + "'"));
                    }
                    lines.put(child, keyLine);
                    p.nextToken();
                    obj.set(key, read(p, child, lines, problems, file));
                }
                return obj;
            }
            case START_ARRAY -> {
                ArrayNode arr = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(read(p, pointer + "/" + i++, lines, problems, file));
                }
                return arr;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(t == JsonToken.VALUE_TRUE);
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** A JSON pointer ({@code /rules/0/if}) in the form users read ({@code rules[0].if}). */
    public static String display(String pointer) {
        if (pointer.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (String part : pointer.substring(1).split("/", -1)) {
            String key = part.replace("~1", "/").replace("~0", "~");
            if (key.chars().allMatch(Character::isDigit) && !key.isEmpty() && b.length() > 0) {
                b.append('[').append(key).append(']');
            } else {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(key);
            }
        }
        return b.toString();
    }

    /** The root node, or null when the text did not parse. */
    public JsonNode root() {
        return root;
    }

    /** The line of the node at a pointer, or of its nearest parent that has one. */
    public int line(String pointer) {
        String p = pointer;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    public List<Problem> problems() {
        return problems;
    }
}
