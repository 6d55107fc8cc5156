package dev.bbagent.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every name a rule condition or prompt template may read, with its type. Rule validation uses it to
 * reject a misspelled field before a rule goes live; docs/events.md documents the same list.
 */
public final class EventFields {

    /** The type of a field as rules see it. */
    public enum Type { STRING, INT, BOOL, LIST, MAP, SECTION }

    private static final Map<String, Type> FIELDS = new LinkedHashMap<>();

    static {
        section("event", "key", "kind", "edition", "delivery");
        section("repository", "workspace", "slug", "full_name", "uuid");
        person("actor");
        FIELDS.put("pull_request", Type.SECTION);
        FIELDS.put("pull_request.id", Type.INT);
        strings("pull_request", "title", "description", "state", "url");
        FIELDS.put("pull_request.draft", Type.BOOL);
        section("pull_request.source", "branch", "commit");
        section("pull_request.destination", "branch", "commit");
        person("pull_request.author");
        section("issue", "id", "title", "description", "description_raw", "state", "kind", "priority", "url", "project");
        person("issue.author");
        person("issue.assignee");
        FIELDS.put("issue.labels", Type.LIST);
        FIELDS.put("comment", Type.SECTION);
        FIELDS.put("comment.id", Type.INT);
        FIELDS.put("comment.line", Type.INT);
        FIELDS.put("comment.parent_id", Type.INT);
        strings("comment", "text", "path");
        person("comment.author");
        FIELDS.put("thread", Type.STRING);
        FIELDS.put("payload", Type.MAP);
    }

    private EventFields() {}

    private static void section(String name, String... strings) {
        FIELDS.put(name, Type.SECTION);
        strings(name, strings);
    }

    private static void strings(String prefix, String... names) {
        for (String n : names) {
            FIELDS.put(prefix + "." + n, Type.STRING);
        }
    }

    private static void person(String name) {
        section(name, "id", "name");
        FIELDS.put(name + ".is_bot", Type.BOOL);
    }

    /** The type of a dotted name, or null when the event model has no such field. Anything under payload is allowed. */
    public static Type typeOf(String path) {
        if (path.equals("payload") || path.startsWith("payload.")) {
            return Type.MAP;
        }
        return FIELDS.get(path);
    }

    /** The top-level names: the variables a CEL condition can use. */
    public static Set<String> roots() {
        Set<String> roots = new TreeSet<>();
        for (String f : FIELDS.keySet()) {
            roots.add(f.contains(".") ? f.substring(0, f.indexOf('.')) : f);
        }
        return Collections.unmodifiableSet(roots);
    }

    /** Every documented name, in document order. */
    public static Set<String> all() {
        return Collections.unmodifiableSet(FIELDS.keySet());
    }
}
