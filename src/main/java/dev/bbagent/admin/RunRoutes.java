package dev.bbagent.admin;

import dev.bbagent.history.HistoryRecords.RunSummary;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Runs;
import dev.bbagent.http.HttpError;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /api/runs} and {@code GET /api/runs/{workspace}/{slug}/{id}} (the full transcript). */
public final class RunRoutes {

    private static final Set<String> STATUSES = Set.of("running", "completed", "partial", "failed", "skipped", "interrupted",
            "abandoned");

    private final Runs runs;

    public RunRoutes(HistoryStore history) {
        this.runs = new Runs(history);
    }

    public void install(JavalinConfig cfg) {
        cfg.routes.get("/api/runs", this::list);
        cfg.routes.get("/api/runs/<ref>", this::show);
    }

    private void list(Context ctx) {
        String status = ctx.queryParam("status");
        if (status != null && !status.isEmpty() && !STATUSES.contains(status)) {
            throw HttpError.badRequest("status must be one of " + STATUSES + ", not '" + status + "'");
        }
        List<Map<String, Object>> out = runs.list(ctx.queryParam("repo"), ctx.queryParam("rule"), status,
                DeliveryRoutes.limit(ctx, 50)).stream().map(RunRoutes::withRef).toList();
        ctx.json(Map.of("runs", out));
    }

    private void show(Context ctx) {
        String ref = ctx.pathParam("ref");
        try {
            var detail = runs.get(ref).orElseThrow(() -> HttpError.notFound("no run " + ref));
            Map<String, Object> out = new LinkedHashMap<>(withRef(detail.run()));
            out.put("rule_version", detail.ruleVersion());
            out.put("prompt", detail.prompt());
            out.put("final_text", detail.finalText());
            out.put("messages", detail.messages());
            out.put("tool_calls", detail.toolCalls());
            ctx.json(out);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest(e.getMessage());
        }
    }

    /** A run as JSON, with {@code ref}: the name GET /api/runs/{ref} takes. */
    static Map<String, Object> withRef(RunSummary r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ref", r.repo() + "/" + r.id());
        m.put("run", r);
        return m;
    }
}
