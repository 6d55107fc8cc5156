package dev.bbagent.rules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.event.Event;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides, for one event, which rules match and why the others do not. The order of checks is the order
 * the reasons are reported in: enabled, {@code on}, loop prevention, {@code repos}, {@code branches}, {@code if}.
 */
public final class Matcher {

    /**
     * The decision for one rule. The reason is worded only when asked for: intake matches every delivery
     * against every rule and needs no words, {@code explain} and the logs do.
     */
    public static final class Decision {
        private final CompiledRule rule;
        private final boolean matched;
        private final boolean error;
        private final Supplier<String> reason;

        Decision(CompiledRule rule, boolean matched, Supplier<String> reason, boolean error) {
            this.rule = rule;
            this.matched = matched;
            this.reason = reason;
            this.error = error;
        }

        public CompiledRule rule() {
            return rule;
        }

        public boolean matched() {
            return matched;
        }

        /** True when the {@code if} condition failed to evaluate (counted and logged). */
        public boolean error() {
            return error;
        }

        /** Why it matched or not, in words a user can act on. */
        public String reason() {
            return reason.get();
        }

        @Override
        public String toString() {
            return rule.name() + (matched ? " matched: " : " did not match: ") + reason();
        }
    }

    private Matcher() {}

    /**
     * @param botIds accounts bbagent acts as (from rules.yaml and, when known, from the Bitbucket API)
     */
    public static List<Decision> evaluate(CompiledRules rules, Set<String> botIds, Event event) {
        List<Decision> out = new ArrayList<>(rules.rules().size());
        CelVariableResolver vars = null;
        String repo = lower(event.repository().fullName());
        String branch = event.pullRequest() == null ? null : lower(event.pullRequest().destination().branch());
        for (CompiledRule r : rules.rules()) {
            if (!r.enabled()) {
                out.add(no(r, () -> "disabled (enabled: false)"));
            } else if (!r.on().contains(event.key()) && !r.on().contains(event.kind())) {
                out.add(no(r, () -> "on: " + r.on() + " includes neither " + event.key() + " nor " + event.kind()));
            } else if (!event.actor().id().isEmpty() && botIds.contains(event.actor().id())) {
                out.add(no(r, () -> "the actor " + event.actor().id() + " is bbagent's own account (loop prevention)"));
            } else if (event.actor().bot() && !r.settings().allowBots()) {
                out.add(no(r, () -> "the actor " + label(event) + " is a bot or app; set allow_bots: true to run for bots"));
            } else if (!r.repos().isEmpty() && !anyMatch(r.repos(), repo)) {
                out.add(no(r, () -> "repository " + event.repository().fullName() + " is not in repos " + r.repoGlobs()));
            } else if (!r.branches().isEmpty() && event.pullRequest() == null) {
                out.add(no(r, () -> "branches " + r.branchGlobs() + " applies to pull request events only"));
            } else if (!r.branches().isEmpty() && !anyMatch(r.branches(), branch)) {
                out.add(no(r, () -> "destination branch " + event.pullRequest().destination().branch()
                        + " is not in branches " + r.branchGlobs()));
            } else if (r.condition() != null) {
                if (vars == null) {
                    vars = variables(event);
                }
                try {
                    boolean ok = r.condition().test(vars);
                    out.add(new Decision(r, ok, () -> "if: " + r.conditionSource() + (ok ? " is true" : " is false"), false));
                } catch (CelEvaluationException | RuntimeException e) {
                    out.add(new Decision(r, false, () -> "if: " + r.conditionSource() + " could not be evaluated: "
                            + e.getMessage(), true));
                }
            } else {
                out.add(new Decision(r, true, () -> "on: matches "
                        + (r.on().contains(event.key()) ? event.key() : event.kind())
                        + (r.repos().isEmpty() && r.branches().isEmpty() ? "" : "; repos and branches match"), false));
            }
        }
        return out;
    }

    private static Decision no(CompiledRule r, Supplier<String> reason) {
        return new Decision(r, false, reason, false);
    }

    private static String label(Event e) {
        return e.actor().name().isEmpty() ? e.actor().id() : e.actor().name() + " (" + e.actor().id() + ")";
    }

    private static String lower(String value) {
        return value == null || value.isEmpty() ? null : value.toLowerCase(Locale.ROOT);
    }

    private static boolean anyMatch(List<Glob> globs, String value) {
        if (value == null) {
            return false;
        }
        for (Glob g : globs) {
            if (g.matches(value)) {
                return true;
            }
        }
        return false;
    }

    /** The CEL variables: every section (absent ones as empty maps, so has() works) and a lazy payload. */
    static CelVariableResolver variables(Event event) {
        Map<String, Object> view = event.toMap(false);
        Map<String, Object> vars = new HashMap<>();
        for (String section : List.of("event", "repository", "actor", "pull_request", "issue", "comment")) {
            vars.put(section, view.getOrDefault(section, Map.of()));
        }
        vars.put("thread", event.thread());
        Object[] payload = {null};
        return name -> {
            if (name.equals("payload")) {
                if (payload[0] == null) {
                    payload[0] = event.payload() == null ? Map.of() : celValue(event.payload());
                }
                return Optional.of(payload[0]);
            }
            return Optional.ofNullable(vars.get(name));
        };
    }

    /** JSON as CEL values: integers are int64, objects are maps, arrays are lists. */
    static Object celValue(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isNull()) {
                    m.put(e.getKey(), celValue(e.getValue()));
                }
            }
            return m;
        }
        if (node.isArray()) {
            List<Object> l = new ArrayList<>(node.size());
            node.forEach(n -> l.add(n.isNull() ? "" : celValue(n)));
            return l;
        }
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.asText();
    }
}
