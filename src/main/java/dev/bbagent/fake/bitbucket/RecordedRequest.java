package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request the fake received, for tests to assert on.
 *
 * @param method the HTTP method, e.g. {@code POST}
 * @param path the path as sent, e.g. {@code /2.0/repositories/acme/widgets/pullrequests}
 * @param query the raw query string, or "" when there is none
 * @param headers the request headers (names case-insensitive); {@code Authorization} keeps only its scheme
 * @param body the request body as UTF-8 text, or ""
 */
public record RecordedRequest(String method, String path, String query, Map<String, String> headers, String body) {

    public RecordedRequest {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
        query = query == null ? "" : query;
        body = body == null ? "" : body;
    }

    /** A header's value (case-insensitive name), or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The body parsed as JSON. */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("request body of " + method + " " + path + " is not JSON: " + body, e);
        }
    }

    /** {@code METHOD path}, e.g. {@code POST /2.0/repositories/acme/widgets/pullrequests}, handy in assertions. */
    public String line() {
        return method + " " + path;
    }
}
