package dev.bbagent.fake.bitbucket;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every request the fake received, in arrival order, with credentials redacted. */
final class RequestLog {

    private final List<RecordedRequest> requests = new ArrayList<>();

    void record(Context ctx) {
        Map<String, String> headers = new LinkedHashMap<>();
        ctx.headerMap().forEach((name, value) ->
                headers.put(name, name.equalsIgnoreCase("Authorization") ? redact(value) : value));
        RecordedRequest r = new RecordedRequest(ctx.method().name(), ctx.path(), ctx.queryString(), headers,
                new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8));
        synchronized (requests) {
            requests.add(r);
        }
    }

    List<RecordedRequest> all() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }

    /** Keep the scheme so tests can tell Bearer from Basic, never the secret. */
    private static String redact(String value) {
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        return scheme.toLowerCase(Locale.ROOT).matches("bearer|basic") ? scheme + " [redacted]" : "[redacted]";
    }
}
