package dev.bbagent.rules;

import dev.bbagent.config.Durations;
import dev.bbagent.event.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the rules do with one event: each rule matched or not and why, and for matched rules the rendered
 * prompt and the settings the run would use. Backs {@code bbagent explain}.
 */
public final class Explain {

    private Explain() {}

    /** The explanation as nested maps (for {@code --json}). */
    public static Map<String, Object> report(CompiledRules rules, Event event) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("event", event.toMap(false));
        out.put("rules_file", rules.file());
        out.put("rules_version", rules.version());
        List<Map<String, Object>> decisions = new ArrayList<>();
        Map<String, Object> view = event.toMap(true);
        for (Matcher.Decision d : Matcher.evaluate(rules, rules.botAccountIds(), event)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", d.rule().name());
            m.put("matched", d.matched());
            m.put("reason", d.reason());
            if (d.error()) {
                m.put("error", true);
            }
            if (d.matched()) {
                m.put("settings", settings(d.rule().settings()));
                m.put("instructions", d.rule().renderInstructions(view));
                m.put("prompt", d.rule().renderPrompt(view));
            }
            decisions.add(m);
        }
        out.put("rules", decisions);
        return out;
    }

    /** The explanation as text for a terminal. */
    @SuppressWarnings("unchecked")
    public static String text(CompiledRules rules, Event event) {
        Map<String, Object> r = report(rules, event);
        StringBuilder b = new StringBuilder();
        b.append("Event\n");
        flatten("", (Map<String, Object>) r.get("event"), b);
        b.append("\nRules (").append(rules.file()).append(", version ").append(rules.version()).append(")\n");
        for (Map<String, Object> d : (List<Map<String, Object>>) r.get("rules")) {
            boolean matched = (Boolean) d.get("matched");
            b.append(matched ? "  MATCH  " : "  no     ").append(d.get("rule")).append(": ").append(d.get("reason")).append('\n');
            if (matched) {
                b.append("         settings: ").append(d.get("settings")).append('\n');
                String instructions = (String) d.get("instructions");
                if (!instructions.isBlank()) {
                    b.append("         instructions:\n").append(indent(instructions));
                }
                b.append("         prompt:\n").append(indent((String) d.get("prompt")));
            }
        }
        return b.toString();
    }

    static Map<String, Object> settings(RunSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", s.model());
        m.put("api", s.api());
        m.put("max_turns", s.maxTurns());
        m.put("timeout", Durations.format(s.timeout()));
        m.put("max_tokens", s.maxTokens());
        m.put("retries", s.retries());
        m.put("concurrency", s.concurrency());
        m.put("supersede", s.supersede());
        m.put("debounce", Durations.format(s.debounce()));
        m.put("memory", s.memory());
        m.put("max_writes", s.maxWrites());
        m.put("scope", s.scope());
        m.put("dry_run", s.dryRun());
        m.put("tools", s.tools());
        if (!s.allowDestructive().isEmpty()) {
            m.put("allow_destructive", s.allowDestructive());
        }
        if (s.perRunUsd() != null) {
            m.put("budget_per_run_usd", s.perRunUsd());
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> m, StringBuilder b) {
        for (var e : m.entrySet()) {
            String name = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof Map<?, ?> inner) {
                flatten(name, (Map<String, Object>) inner, b);
            } else {
                String v = String.valueOf(e.getValue());
                if (v.contains("\n") || v.length() > 100) {
                    v = v.replace("\n", "\\n");
                    v = v.length() > 100 ? v.substring(0, 97) + "..." : v;
                }
                b.append("  ").append(name).append(": ").append(v).append('\n');
            }
        }
    }

    private static String indent(String text) {
        StringBuilder b = new StringBuilder();
        text.stripTrailing().lines().forEach(l -> b.append("           ").append(l).append('\n'));
        return b.toString();
    }
}
