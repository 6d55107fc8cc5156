package dev.bbagent.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.http.HttpError;
import dev.bbagent.http.JsonMappers;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.DeliveryStore;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /api/deliveries} and {@code GET /api/deliveries/{id}}. */
public final class DeliveryRoutes {

    private static final ObjectMapper JSON = JsonMappers.create();
    static final int MAX_LIMIT = 1000;

    private final DeliveryStore store;

    public DeliveryRoutes(DeliveryStore store) {
        this.store = store;
    }

    public void install(JavalinConfig cfg) {
        cfg.routes.get("/api/deliveries", this::list);
        cfg.routes.get("/api/deliveries/{id}", this::show);
    }

    private void list(Context ctx) {
        int limit = limit(ctx, 50);
        ctx.json(Map.of("deliveries", store.list(ctx.queryParam("repo"), limit)));
    }

    private void show(Context ctx) {
        String id = ctx.pathParam("id");
        Delivery d = store.get(id).orElseThrow(() -> HttpError.notFound("no delivery with id " + id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", d.id());
        out.put("edition", d.edition());
        out.put("event_key", d.eventKey());
        out.put("kind", d.kind());
        out.put("repo", d.repo());
        out.put("thread", d.thread());
        out.put("status", d.status());
        out.put("attempt", d.attempt());
        out.put("received_at", d.receivedAt().toString());
        out.put("rules", d.rules());
        out.put("headers", d.headers());
        try {
            out.put("payload", JSON.readTree(d.body()));
        } catch (IOException e) {
            out.put("payload_text", new String(d.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        ctx.json(out);
    }

    /** The {@code limit} query parameter, between 1 and 1000. */
    public static int limit(Context ctx, int fallback) {
        String v = ctx.queryParam("limit");
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 1 || n > MAX_LIMIT) {
                throw HttpError.badRequest("limit must be between 1 and " + MAX_LIMIT + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("limit must be a whole number, not '" + v + "'");
        }
    }
}
