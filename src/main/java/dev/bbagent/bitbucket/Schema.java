package dev.bbagent.bitbucket;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a tool's JSON input schema: an object with named properties, the required ones listed, and no others
 * allowed ({@code additionalProperties: false}). Also holds the shared property descriptions, so every tool
 * explains {@code workspace} or {@code pull_request_id} the same way.
 */
final class Schema {

    private final Map<String, Map<String, Object>> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    private Schema() {}

    static Schema object() {
        return new Schema();
    }

    Schema required(String name, Map<String, Object> property) {
        properties.put(name, property);
        required.add(name);
        return this;
    }

    Schema optional(String name, Map<String, Object> property) {
        properties.put(name, property);
        return this;
    }

    /** The property names, for refusing arguments the schema does not list. */
    Set<String> names() {
        return Collections.unmodifiableSet(properties.keySet());
    }

    /** The schema as the map {@link dev.bbagent.mcp.ToolSpec} and MCP expect. */
    Map<String, Object> toMap() {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        schema.put("required", List.copyOf(required));
        schema.put("additionalProperties", false);
        return Collections.unmodifiableMap(schema);
    }

    // ---- property types

    static Map<String, Object> string(String description) {
        return property("string", description);
    }

    static Map<String, Object> string(String description, List<String> allowed) {
        Map<String, Object> p = mutable("string", description);
        p.put("enum", List.copyOf(allowed));
        return Collections.unmodifiableMap(p);
    }

    static Map<String, Object> integer(String description, int minimum, int maximum, int byDefault) {
        Map<String, Object> p = mutable("integer", description);
        p.put("minimum", minimum);
        p.put("maximum", maximum);
        p.put("default", byDefault);
        return Collections.unmodifiableMap(p);
    }

    static Map<String, Object> id(String description) {
        Map<String, Object> p = mutable("integer", description);
        p.put("minimum", 1);
        return Collections.unmodifiableMap(p);
    }

    static Map<String, Object> bool(String description, boolean byDefault) {
        Map<String, Object> p = mutable("boolean", description);
        p.put("default", byDefault);
        return Collections.unmodifiableMap(p);
    }

    static Map<String, Object> strings(String description) {
        Map<String, Object> p = mutable("array", description);
        p.put("items", Map.of("type", "string"));
        return Collections.unmodifiableMap(p);
    }

    static Map<String, Object> strings(String description, List<String> allowed) {
        Map<String, Object> p = mutable("array", description);
        p.put("items", Map.of("type", "string", "enum", List.copyOf(allowed)));
        return Collections.unmodifiableMap(p);
    }

    // ---- the arguments many tools share, named as in Bitbucket's API

    static Map<String, Object> workspace() {
        return string("Workspace slug (or its UUID in braces): the first part of the repository's full name, "
                + "e.g. \"acme\" in acme/widgets.");
    }

    static Map<String, Object> repoSlug() {
        return string("Repository slug: the second part of the repository's full name, e.g. \"widgets\" in "
                + "acme/widgets.");
    }

    static Map<String, Object> pullRequestId() {
        return id("Pull request id (the number in #12), unique within the repository.");
    }

    static Map<String, Object> limit(String items, int byDefault, int maximum) {
        return integer("Maximum number of " + items + " to return (default " + byDefault + ", at most " + maximum
                + "). The result says how many exist.", 1, maximum, byDefault);
    }

    /** Schema for tools on one repository. */
    static Schema repository() {
        return object().required("workspace", workspace()).required("repo_slug", repoSlug());
    }

    /** Schema for tools on one pull request. */
    static Schema pullRequest() {
        return repository().required("pull_request_id", pullRequestId());
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
