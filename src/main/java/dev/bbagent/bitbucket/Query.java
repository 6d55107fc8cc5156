package dev.bbagent.bitbucket;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Query parameters in order, repeatable ({@code state=OPEN&state=MERGED}); null values are left out. Immutable:
 * {@code Query.of("state", "OPEN").and("q", bbql)}.
 */
public final class Query {

    private static final Query EMPTY = new Query(List.of());

    private final List<Map.Entry<String, String>> params;

    private Query(List<Map.Entry<String, String>> params) {
        this.params = List.copyOf(params);
    }

    /** No parameters. */
    public static Query empty() {
        return EMPTY;
    }

    /** One parameter (none when the value is null; one per element for a collection). */
    public static Query of(String name, Object value) {
        return EMPTY.and(name, value);
    }

    /** These parameters plus one more (none when the value is null; one per element for a collection). */
    public Query and(String name, Object value) {
        if (value == null) {
            return this;
        }
        List<Map.Entry<String, String>> more = new ArrayList<>(params);
        if (value instanceof Collection<?> values) {
            values.stream().filter(v -> v != null).forEach(v -> more.add(Map.entry(name, v.toString())));
        } else {
            more.add(Map.entry(name, value.toString()));
        }
        return new Query(more);
    }

    /** Whether a parameter of this name is present. */
    public boolean has(String name) {
        return params.stream().anyMatch(e -> e.getKey().equals(name));
    }

    /** Whether there are no parameters. */
    public boolean isEmpty() {
        return params.isEmpty();
    }

    /** {@code a=1&b=x+y}, form-encoded; "" when empty. */
    public String encoded() {
        StringJoiner out = new StringJoiner("&");
        params.forEach(e -> out.add(encode(e.getKey()) + "=" + encode(e.getValue())));
        return out.toString();
    }

    @Override
    public String toString() {
        return encoded();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
