package dev.bbagent.app;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /health/live} answers while the process runs; {@code /health/ready} runs every readiness check
 * and answers 503 with the failing checks' reasons.
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

    private final List<Check> checks;

    Health(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    void install(JavalinConfig cfg) {
        cfg.routes.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
        cfg.routes.get("/health/ready", this::ready);
    }

    private void ready(Context ctx) {
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
        body.put("status", ok ? "ready" : "not_ready");
        body.put("checks", results);
        ctx.status(ok ? 200 : 503).json(body);
    }
}
