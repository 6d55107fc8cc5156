package dev.bbagent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The structural check of a rules file against {@code rules.schema.json} (JSON Schema 2020-12): unknown
 * keys, types, enums, required fields. The same schema is published for editors (docs/rules.md).
 */
final class RulesSchema {

    static final String RESOURCE = "/dev/bbagent/config/rules.schema.json";
    private static final Schema SCHEMA = load();

    private RulesSchema() {}

    private static Schema load() {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().typeLoose(true).locale(Locale.ENGLISH).build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
        try (InputStream in = RulesSchema.class.getResourceAsStream(RESOURCE)) {
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /** The schema document itself (for {@code bbagent validate --print-schema}). */
    static JsonNode document() {
        return SCHEMA.getSchemaNode();
    }

    static List<Problem> check(String file, YamlTree tree, JsonNode root) {
        List<Problem> problems = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Error e : SCHEMA.validate(root)) {
            if (insideOneOf(e)) {
                continue; // the oneOf error itself says what is wrong; its branches' errors only confuse
            }
            String pointer = pointer(e.getInstanceLocation());
            String message = message(e, root, pointer);
            if (message == null || !seen.add(pointer + message)) {
                continue;
            }
            String where = YamlTree.display(pointer);
            String key = unknownKey(e);
            if (key != null) {
                String child = pointer + "/" + key;
                problems.add(new Problem(file, tree.line(child), where, message));
            } else {
                problems.add(new Problem(file, tree.line(pointer), where, message));
            }
        }
        return problems;
    }

    private static boolean insideOneOf(Error e) {
        NodePath path = e.getEvaluationPath();
        for (int i = 0; i < path.getNameCount() - 1; i++) {
            if ("oneOf".equals(String.valueOf(path.getElement(i)))) {
                return true;
            }
        }
        return false;
    }

    private static String pointer(NodePath path) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object el = path.getElement(i);
            b.append('/').append(el.toString().replace("~", "~0").replace("/", "~1"));
        }
        return b.toString();
    }

    private static String unknownKey(Error e) {
        return "additionalProperties".equals(e.getKeyword()) ? e.getProperty() : null;
    }

    /** Clear wording for the common cases; the validator's own text otherwise. Null drops a redundant error. */
    private static String message(Error e, JsonNode root, String pointer) {
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        JsonNode schema = e.getSchemaNode();
        switch (keyword) {
            case "additionalProperties" -> {
                String key = e.getProperty();
                JsonNode props = parentProperties(e);
                String hint = props == null ? "" : Suggest.nearest(key, fieldNames(props))
                        .map(s -> "; did you mean '" + s + "'?").orElse("");
                return "unknown key '" + key + "'" + hint;
            }
            case "required" -> {
                return "missing required key '" + e.getProperty() + "'";
            }
            case "enum" -> {
                return "must be one of " + schema.toString().replace("\"", "") + ", not " + at(root, pointer);
            }
            case "const" -> {
                return "must be " + schema + ", not " + at(root, pointer);
            }
            case "type" -> {
                return "must be " + article(schema.asText()) + ", not " + at(root, pointer);
            }
            case "oneOf" -> {
                if (pointer.startsWith("/mcp_servers/")) {
                    return "an MCP server needs exactly one of 'builtin', 'command' (stdio) or 'url' (HTTP)";
                }
                return e.getMessage().replaceFirst("^\\S+: ", "");
            }
            case "not" -> {
                return null;
            }
            default -> {
                return e.getMessage().replaceFirst("^\\S+: ", "");
            }
        }
    }

    private static JsonNode parentProperties(Error e) {
        JsonNode schemaOfObject = e.getSchemaNode();
        // additionalProperties errors carry the 'additionalProperties' value; the sibling 'properties'
        // lives in the parent schema, which the error's schema location names.
        try {
            String loc = e.getSchemaLocation().getFragment().toString();
            String parent = loc.substring(0, loc.lastIndexOf('/'));
            JsonNode node = SCHEMA.getSchemaNode().at(parent.startsWith("#") ? parent.substring(1) : parent);
            return node.get("properties");
        } catch (RuntimeException ex) {
            return schemaOfObject == null ? null : schemaOfObject.get("properties");
        }
    }

    private static List<String> fieldNames(JsonNode props) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = props.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static String at(JsonNode root, String pointer) {
        JsonNode n = root.at(pointer);
        return n.isMissingNode() ? "nothing" : n.toString();
    }

    private static String article(String type) {
        return switch (type) {
            case "integer" -> "a whole number";
            case "object" -> "a map";
            case "array" -> "a list";
            case "string" -> "text";
            case "boolean" -> "true or false";
            case "number" -> "a number";
            default -> type;
        };
    }
}
