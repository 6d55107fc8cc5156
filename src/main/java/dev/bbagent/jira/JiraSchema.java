package dev.bbagent.jira;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A tool's JSON input schema: named properties, the required ones, nothing else allowed. */
final class JiraSchema {

    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    static JiraSchema object() {
        return new JiraSchema();
    }

    /** The schema of tools on one issue: {@code issue_key} first. */
    static JiraSchema issue() {
        return object().required("issue_key", string("Issue key, e.g. PROJ-123."));
    }

    JiraSchema required(String name, Map<String, Object> property) {
        properties.put(name, property);
        required.add(name);
        return this;
    }

    JiraSchema optional(String name, Map<String, Object> property) {
        properties.put(name, property);
        return this;
    }

    Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    Map<String, Object> toMap() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        schema.put("required", List.copyOf(required));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }

    static Map<String, Object> string(String description) {
        return Map.of("type", "string", "description", description);
    }

    static Map<String, Object> strings(String description) {
        return Map.of("type", "array", "items", Map.of("type", "string"), "description", description);
    }

    static Map<String, Object> integer(String description, int minimum, int maximum, int byDefault) {
        return Map.of("type", "integer", "description", description, "minimum", minimum, "maximum", maximum,
                "default", byDefault);
    }

    static Map<String, Object> object(String description) {
        return Map.of("type", "object", "description", description);
    }
}
