package dev.bbagent.app;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} answers 200 while the process runs and can recover by itself, and 503 with the reasons
 * once a liveness check fails (only a restart mends it); {@code /health/ready} runs every readiness check and
 * answers 503 with the failing checks' reasons.
 */
final class Health {

    /**
     * One named check; returns null when healthy, else the reason.
     *
     * @param critical false for problems that degrade the service without making it unready (an MCP server
     *     down: webhooks are still accepted and its runs retry later)
     */
    record Check(String name, Supplier<String> problem, boolean critical) {
        Check(String name, Supplier<String> problem) {
            this(name, problem, true);
        }
    }

    private final List<Check> live;
    private final List<Check> ready;

    /**
     * @param live checks for states only a restart mends (a failed fsync): keep them cheap, they run on
     *     every liveness probe
     * @param ready checks for serving traffic
     */
    Health(List<Check> live, List<Check> ready) {
        this.live = List.copyOf(live);
        this.ready = List.copyOf(ready);
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get("/health/live", ctx -> answer(ctx, live, "live", "failing"));
        cfg.routes.get("/health/ready", ctx -> answer(ctx, ready, "ready", "not_ready"));
    }

    private static void answer(Context ctx, List<Check> checks, String good, String bad) {
        Map<String, Object> results = new LinkedHashMap<>();
        boolean ok = true;
        for (Check c : checks) {
            String problem;
            try {
                problem = c.problem().get();
            } catch (RuntimeException e) {
                problem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            results.put(c.name(), problem == null ? Map.of("status", "ok")
                    : Map.of("status", c.critical() ? "failing" : "degraded", "reason", problem));
            ok &= problem == null || !c.critical();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", ok ? good : bad);
        body.put("checks", results);
        ctx.status(ok ? 200 : 503).json(body);
    }
}
