package dev.bbagent.jira;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A Jira tool call's arguments, read with the checks the schema promises; every problem is a {@link JiraToolError}
 * naming the argument, which the model reads and can fix.
 */
final class JiraArgs {

    private static final Pattern ISSUE_KEY = Pattern.compile("[A-Z][A-Z0-9_]*-[1-9][0-9]*");
    private static final Pattern PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]*");

    private final Map<String, Object> values;

    JiraArgs(Map<String, Object> values, Set<String> allowed) {
        this.values = values;
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new JiraToolError("unknown argument" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + "; this tool takes " + String.join(", ", allowed));
        }
    }

    String text(String name) {
        return optionalText(name).orElseThrow(() -> new JiraToolError("missing required argument '" + name + "'"));
    }

    Optional<String> optionalText(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new JiraToolError("argument '" + name + "' must be a string");
        }
        String s = v.toString();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /** An issue key such as PROJ-123 (upper-cased). */
    String issueKey(String name) {
        String key = text(name).trim().toUpperCase(Locale.ROOT);
        if (!ISSUE_KEY.matcher(key).matches()) {
            throw new JiraToolError("argument '" + name + "' must be an issue key such as PROJ-123, not '" + key + "'");
        }
        return key;
    }

    /** A project key such as PROJ (upper-cased). */
    String projectKey(String name) {
        String key = text(name).trim().toUpperCase(Locale.ROOT);
        if (!PROJECT_KEY.matcher(key).matches()) {
            throw new JiraToolError("argument '" + name + "' must be a project key such as PROJ, not '" + key + "'");
        }
        return key;
    }

    int integer(String name, int byDefault, int min, int max) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return byDefault;
        }
        long n;
        try {
            n = new BigDecimal(v.toString().trim()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new JiraToolError("argument '" + name + "' must be a whole number, not " + v);
        }
        if (n < min || n > max) {
            throw new JiraToolError("argument '" + name + "' must be between " + min + " and " + max + ", not " + n);
        }
        return (int) n;
    }

    /** A list of strings (a single string counts as a list of one); empty when absent. */
    List<String> texts(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s);
        }
        if (!(v instanceof List<?> list)) {
            throw new JiraToolError("argument '" + name + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new JiraToolError("argument '" + name + "' must be a list of strings, not " + v);
            }
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** A JSON object argument, as a map; empty when absent. */
    @SuppressWarnings("unchecked")
    Map<String, Object> object(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new JiraToolError("argument '" + name + "' must be an object");
        }
        return (Map<String, Object>) m;
    }
}
