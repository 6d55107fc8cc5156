package dev.bbagent.admin;

import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.CompiledRules;
import dev.bbagent.rules.RulesRuntime;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/rules} (the rules in force) and {@code POST /api/rules/reload}. */
public final class RulesRoutes {

    private final RulesRuntime rules;

    public RulesRoutes(RulesRuntime rules) {
        this.rules = rules;
    }

    public void install(JavalinConfig cfg) {
        cfg.routes.get("/api/rules", this::show);
        cfg.routes.post("/api/rules/reload", this::reload);
    }

    private void show(Context ctx) {
        CompiledRules r = rules.current();
        List<Map<String, Object>> list = r.rules().stream().map(RulesRoutes::describe).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", r.file());
        out.put("version", r.version());
        out.put("bot_account_ids", rules.botIds());
        out.put("rules", list);
        ctx.json(out);
    }

    static Map<String, Object> describe(CompiledRule rule) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", rule.name());
        m.put("enabled", rule.enabled());
        m.put("on", rule.on());
        m.put("if", rule.conditionSource());
        m.put("repos", rule.repoGlobs());
        m.put("branches", rule.branchGlobs());
        m.put("settings", rule.settings());
        return m;
    }

    private void reload(Context ctx) {
        RulesRuntime.Reload r = rules.reload();
        ctx.status(r.ok() ? 200 : 422).json(r);
    }
}
