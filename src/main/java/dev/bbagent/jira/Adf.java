package dev.bbagent.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Atlassian Document Format (ADF), the JSON Jira Cloud's REST v3 uses for descriptions and comments, to and from
 * plain text. {@link #toText} flattens a document into text a model reads easily (Markdown-like: headings with
 * {@code #}, lists with {@code -} and {@code 1.}, code blocks fenced, links as {@code text (url)}, mentions as
 * {@code @Name}); Jira Data Center and REST v2 send wiki markup strings, which are returned as they are.
 * {@link #fromText} wraps plain text as a document: a paragraph per blank-line-separated block, line breaks as
 * {@code hardBreak}.
 */
public final class Adf {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Adf() {}

    /** The text of a description or comment body: an ADF document, a wiki-markup string, or null (""). */
    public static String toText(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        if (value.isTextual()) {
            return value.asText().strip();
        }
        if (!value.isObject()) {
            return value.asText("");
        }
        StringBuilder out = new StringBuilder();
        block(value, out, "");
        return out.toString().replaceAll("[ \\t]+\\n", "\n").replaceAll("\\n{3,}", "\n\n").strip();
    }

    /** The field as Jira sent it, as text: an ADF document as compact JSON, a wiki string as it is. */
    public static String raw(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return "";
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    /** Plain text as an ADF document (version 1). */
    public static ObjectNode fromText(String text) {
        ObjectNode doc = NODES.objectNode().put("type", "doc").put("version", 1);
        ArrayNode content = doc.putArray("content");
        String normalized = text == null ? "" : text.replace("\r\n", "\n").strip();
        for (String block : normalized.split("\\n\\s*\\n")) {
            if (block.isBlank()) {
                continue;
            }
            ObjectNode paragraph = content.addObject().put("type", "paragraph");
            ArrayNode inline = paragraph.putArray("content");
            String[] lines = block.split("\\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    inline.addObject().put("type", "hardBreak");
                }
                if (!lines[i].isEmpty()) {
                    inline.addObject().put("type", "text").put("text", lines[i]);
                }
            }
        }
        return doc;
    }

    /** A block node and its children; every block ends with a blank line. */
    private static void block(JsonNode node, StringBuilder out, String indent) {
        String type = node.path("type").asText("");
        switch (type) {
            case "doc", "panel", "layoutSection", "layoutColumn", "expand", "nestedExpand", "extension",
                    "bodiedExtension" -> {
                if (node.path("attrs").hasNonNull("title")) {
                    out.append(indent).append(node.path("attrs").path("title").asText()).append("\n\n");
                }
                children(node, out, indent);
            }
            case "paragraph" -> out.append(indent).append(inline(node).replace("\n", "\n" + indent)).append("\n\n");
            case "heading" -> out.append(indent).append("#".repeat(Math.max(1, Math.min(6, node.path("attrs")
                    .path("level").asInt(1))))).append(' ').append(inline(node)).append("\n\n");
            case "bulletList", "orderedList", "taskList", "decisionList" -> {
                list(node, out, indent, type);
                out.append('\n');
            }
            case "codeBlock" -> {
                String language = node.path("attrs").path("language").asText("");
                out.append(indent).append("```").append(language).append('\n');
                for (String line : inline(node).split("\n", -1)) {
                    out.append(indent).append(line).append('\n');
                }
                out.append(indent).append("```\n\n");
            }
            case "blockquote" -> {
                StringBuilder quoted = new StringBuilder();
                children(node, quoted, "");
                for (String line : quoted.toString().strip().split("\n", -1)) {
                    out.append(indent).append(line.isEmpty() ? ">" : "> " + line).append('\n');
                }
                out.append('\n');
            }
            case "rule" -> out.append(indent).append("---\n\n");
            case "table" -> {
                for (JsonNode row : node.path("content")) {
                    List<String> cells = new ArrayList<>();
                    for (JsonNode cell : row.path("content")) {
                        StringBuilder c = new StringBuilder();
                        children(cell, c, "");
                        cells.add(c.toString().strip().replaceAll("\\s*\\n+\\s*", " "));
                    }
                    out.append(indent).append("| ").append(String.join(" | ", cells)).append(" |\n");
                }
                out.append('\n');
            }
            case "mediaSingle", "mediaGroup" -> out.append(indent).append("[attachment]\n\n");
            default -> {
                if (node.has("content")) {
                    // an inline node at block level, or a block type this flattener does not know
                    if (node.path("content").isArray() && !node.path("content").isEmpty()
                            && node.path("content").get(0).path("type").asText("").equals("text")) {
                        out.append(indent).append(inline(node)).append("\n\n");
                    } else {
                        children(node, out, indent);
                    }
                } else {
                    String text = inlineNode(node);
                    if (!text.isEmpty()) {
                        out.append(indent).append(text).append("\n\n");
                    }
                }
            }
        }
    }

    private static void children(JsonNode node, StringBuilder out, String indent) {
        for (JsonNode child : node.path("content")) {
            block(child, out, indent);
        }
    }

    private static void list(JsonNode list, StringBuilder out, String indent, String type) {
        int n = list.path("attrs").path("order").asInt(1);
        for (JsonNode item : list.path("content")) {
            String marker = switch (type) {
                case "orderedList" -> (n++) + ". ";
                case "taskList" -> item.path("attrs").path("state").asText("").equals("DONE") ? "- [x] " : "- [ ] ";
                default -> "- ";
            };
            boolean first = true;
            for (JsonNode part : item.path("content")) {
                String partType = part.path("type").asText("");
                if (partType.endsWith("List")) {
                    if (first) {
                        out.append(indent).append(marker.strip()).append('\n');
                    }
                    list(part, out, indent + "  ", partType);
                } else if (first) {
                    StringBuilder text = new StringBuilder();
                    if (part.path("type").asText("").equals("text") || !part.has("content")) {
                        text.append(inlineNode(part));
                    } else {
                        block(part, text, "");
                    }
                    out.append(indent).append(marker).append(text.toString().strip().replace("\n", "\n" + indent + "  "))
                            .append('\n');
                } else {
                    StringBuilder more = new StringBuilder();
                    block(part, more, indent + "  ");
                    out.append(more.toString().stripTrailing()).append('\n');
                }
                first = false;
            }
            if (first) {
                out.append(indent).append(marker.strip()).append('\n');
            }
        }
    }

    /** The inline content of a paragraph, heading or code block. */
    private static String inline(JsonNode node) {
        StringBuilder out = new StringBuilder();
        for (JsonNode child : node.path("content")) {
            out.append(inlineNode(child));
        }
        return out.toString();
    }

    private static String inlineNode(JsonNode node) {
        JsonNode attrs = node.path("attrs");
        return switch (node.path("type").asText("")) {
            case "text" -> marked(node.path("text").asText(""), node.path("marks"));
            case "hardBreak" -> "\n";
            case "mention" -> {
                String name = attrs.path("text").asText("");
                if (name.isEmpty()) {
                    name = attrs.path("id").asText("someone");
                }
                yield name.startsWith("@") ? name : "@" + name;
            }
            case "emoji" -> attrs.path("text").asText(attrs.path("shortName").asText(""));
            case "inlineCard", "blockCard", "embedCard" -> attrs.path("url").asText("");
            case "date" -> date(attrs.path("timestamp").asText(""));
            case "status" -> "[" + attrs.path("text").asText("") + "]";
            case "mediaInline", "media" -> "[attachment]";
            case "placeholder" -> attrs.path("text").asText("");
            default -> inline(node);
        };
    }

    private static String marked(String text, JsonNode marks) {
        String out = text;
        for (JsonNode mark : marks) {
            switch (mark.path("type").asText("")) {
                case "code" -> out = "`" + out + "`";
                case "link" -> {
                    String href = mark.path("attrs").path("href").asText("");
                    if (!href.isEmpty() && !href.equals(text)) {
                        out = out + " (" + href + ")";
                    }
                }
                default -> { }
            }
        }
        return out;
    }

    private static String date(String timestamp) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(timestamp)).atOffset(ZoneOffset.UTC).toLocalDate().toString();
        } catch (NumberFormatException e) {
            return timestamp;
        }
    }
}
