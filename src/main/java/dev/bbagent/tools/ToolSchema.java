package dev.bbagent.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a tool's JSON input schema: an object with named properties, the required ones listed, and no others
 * allowed ({@code additionalProperties: false}), plus the property types the built-in tools use.
 */
public final class ToolSchema {

    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private ToolSchema() {}

    public static ToolSchema object() {
        return new ToolSchema();
    }

    public ToolSchema required(String name, Map<String, Object> property) {
        properties.put(name, property);
        required.add(name);
        return this;
    }

    public ToolSchema optional(String name, Map<String, Object> property) {
        properties.put(name, property);
        return this;
    }

    /** The property names, for refusing arguments the schema does not list. */
    public Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    /** The schema as the map {@link dev.bbagent.mcp.ToolSpec} and MCP expect. */
    public Map<String, Object> toMap() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        schema.put("required", List.copyOf(required));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }

    // ---- property types

    public static Map<String, Object> string(String description) {
        return property("string", description);
    }

    public static Map<String, Object> string(String description, List<String> allowed) {
        Map<String, Object> p = mutable("string", description);
        p.put("enum", List.copyOf(allowed));
        return Collections.unmodifiableMap(p);
    }

    public static Map<String, Object> integer(String description, int minimum, int maximum, int byDefault) {
        Map<String, Object> p = mutable("integer", description);
        p.put("minimum", minimum);
        p.put("maximum", maximum);
        p.put("default", byDefault);
        return Collections.unmodifiableMap(p);
    }

    public static Map<String, Object> id(String description) {
        Map<String, Object> p = mutable("integer", description);
        p.put("minimum", 1);
        return Collections.unmodifiableMap(p);
    }

    public static Map<String, Object> bool(String description, boolean byDefault) {
        Map<String, Object> p = mutable("boolean", description);
        p.put("default", byDefault);
        return Collections.unmodifiableMap(p);
    }

    public static Map<String, Object> strings(String description) {
        Map<String, Object> p = mutable("array", description);
        p.put("items", Map.of("type", "string"));
        return Collections.unmodifiableMap(p);
    }

    public static Map<String, Object> object(String description) {
        return property("object", description);
    }

    public static Map<String, Object> strings(String description, List<String> allowed) {
        Map<String, Object> p = mutable("array", description);
        p.put("items", Map.of("type", "string", "enum", List.copyOf(allowed)));
        return Collections.unmodifiableMap(p);
    }

    private static Map<String, Object> property(String type, String description) {
        return Collections.unmodifiableMap(mutable(type, description));
    }

    private static Map<String, Object> mutable(String type, String description) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", type);
        p.put("description", description);
        return p;
    }
}
