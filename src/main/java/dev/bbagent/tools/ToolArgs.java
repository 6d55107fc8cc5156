package dev.bbagent.tools;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A tool call's arguments, read with the checks the schema promises: required values present, integers whole
 * and in range, no argument the schema does not name. Models send numbers as numbers or as strings; both work.
 * Every problem is a {@link ToolError} naming the argument.
 */
public class ToolArgs {

    private final Map<String, Object> values;

    public ToolArgs(Map<String, Object> values, Set<String> allowed) {
        this.values = values;
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new ToolError("unknown argument" + (unknown.size() == 1 ? " " : "s ") + String.join(", ", unknown)
                    + "; this tool takes " + String.join(", ", allowed));
        }
    }

    /** A required, non-blank string. */
    public String text(String name) {
        return optionalText(name).orElseThrow(() -> new ToolError("missing required argument '" + name + "'"));
    }

    /** A string, or empty when absent or blank. */
    public Optional<String> optionalText(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
            throw new ToolError("argument '" + name + "' must be a string");
        }
        String s = v.toString();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /** A required positive whole number (an id). */
    public long id(String name) {
        return optionalId(name).orElseThrow(() -> new ToolError("missing required argument '" + name + "'"));
    }

    /** A positive whole number, or empty when absent. */
    public OptionalLong optionalId(String name) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return OptionalLong.empty();
        }
        long n = whole(name, v);
        if (n < 1) {
            throw new ToolError("argument '" + name + "' must be a positive number, not " + n);
        }
        return OptionalLong.of(n);
    }

    /** A whole number in {@code [min, max]}, or the default when absent. */
    public int integer(String name, int byDefault, int min, int max) {
        Object v = values.get(name);
        if (v == null || (v instanceof String s && s.isBlank())) {
            return byDefault;
        }
        long n = whole(name, v);
        if (n < min || n > max) {
            throw new ToolError("argument '" + name + "' must be between " + min + " and " + max + ", not " + n);
        }
        return (int) n;
    }

    /** A boolean (also "true"/"false"), or empty when absent. */
    public Optional<Boolean> optionalFlag(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Optional.empty();
        }
        if (v instanceof Boolean b) {
            return Optional.of(b);
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Optional.of(Boolean.parseBoolean(s));
        }
        throw new ToolError("argument '" + name + "' must be true or false, not " + v);
    }

    public boolean flag(String name, boolean byDefault) {
        return optionalFlag(name).orElse(byDefault);
    }

    /** A list of strings (a single string counts as a list of one); empty when absent. */
    public List<String> texts(String name) {
        Object v = values.get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof String s) {
            return s.isBlank() ? List.of() : List.of(s);
        }
        if (!(v instanceof List<?> list)) {
            throw new ToolError("argument '" + name + "' must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new ToolError("argument '" + name + "' must be a list of strings, not " + v);
            }
            if (!s.isBlank()) {
                out.add(s);
            }
        }
        return out;
    }

    /** A string that must be one of the allowed values (compared ignoring case; answered as listed). */
    public Optional<String> choice(String name, List<String> allowed) {
        return optionalText(name).map(v -> allowed.stream().filter(a -> a.equalsIgnoreCase(v)).findFirst()
                .orElseThrow(() -> new ToolError("argument '" + name + "' must be one of " + allowed + ", not '" + v + "'")));
    }

    /** A JSON object argument, as a map; empty when absent. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> object(String name) {
        Object v = values.get(name);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ToolError("argument '" + name + "' must be an object");
        }
        return (Map<String, Object>) m;
    }

    private static long whole(String name, Object v) {
        try {
            BigDecimal n = v instanceof Number num ? new BigDecimal(num.toString()) : new BigDecimal(v.toString().trim());
            return n.longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ToolError("argument '" + name + "' must be a whole number, not " + v);
        }
    }
}
