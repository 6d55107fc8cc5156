package dev.bbagent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
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
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.reader.ReaderException;

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
            problems.add(syntaxProblem(file, text, e));
            return new YamlTree(null, lines, problems);
        }
    }

    /**
     * A syntax error as a problem at the line the parser points at, with the parser's own explanation
     * (SnakeYAML's {@code problem}) and, when it helps, where the unfinished construct began ({@code context}).
     */
    static Problem syntaxProblem(String file, String text, IOException e) {
        Throwable cause = e.getCause();
        if (cause instanceof MarkedYAMLException m && m.getProblemMark() != null) {
            int line = m.getProblemMark().getLine() + 1;
            String problem = m.getProblem() == null ? "unreadable YAML" : m.getProblem();
            if (problem.contains("\\t(TAB)")) {
                problem = "a tab at column " + (m.getProblemMark().getColumn() + 1)
                        + "; tabs cannot indent YAML, use spaces";
            } else {
                problem = GOT_TOKEN.matcher(problem).replaceFirst("but got '$1'");
            }
            return new Problem(file, line, "", "not valid YAML: " + problem + context(m, line));
        }
        if (cause instanceof ReaderException r) {
            int at = Math.min(Math.max(r.getPosition(), 0), text.length());
            int line = (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
            return new Problem(file, line, "", "not valid YAML: " + r.getMessage() + " (character U+"
                    + String.format("%04X", r.getCodePoint()) + "); remove it or write it as an escape in double quotes");
        }
        int line = 0;
        if (e instanceof JsonProcessingException jpe && jpe.getLocation() != null) {
            line = jpe.getLocation().getLineNr();
        }
        String msg = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = "unreadable YAML";
        }
        return new Problem(file, line, "", "not valid YAML: " + msg.strip().replaceAll("\\s*\\n\\s*", "; "));
    }

    /** SnakeYAML names some tokens bare ({@code but got :}); quote them so the message reads. */
    private static final java.util.regex.Pattern GOT_TOKEN = java.util.regex.Pattern.compile("but got ([^<'\\s]\\S*)$");

    /** Where the construct the parser was in began, in the user's terms; empty when that adds nothing. */
    private static String context(MarkedYAMLException m, int problemLine) {
        String context = m.getContext();
        if (context == null || m.getContextMark() == null) {
            return "";
        }
        int line = m.getContextMark().getLine() + 1;
        int column = m.getContextMark().getColumn() + 1;
        String what = switch (context.replaceFirst("^while (parsing|scanning) ", "")) {
            case "a flow sequence" -> "the flow sequence '[' opened on line " + line + ", column " + column;
            case "a flow mapping" -> "the flow mapping '{' opened on line " + line + ", column " + column;
            case "a quoted scalar" -> "the quoted string opened on line " + line + ", column " + column;
            case "a block mapping" -> "the mapping that starts on line " + line;
            case "a block collection" -> "the list that starts on line " + line;
            default -> context.replaceFirst("^while ", "") + " on line " + line;
        };
        if (line == problemLine && !context.contains("flow") && !context.contains("quoted")) {
            return "";
        }
        return " (in " + what + ")";
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
