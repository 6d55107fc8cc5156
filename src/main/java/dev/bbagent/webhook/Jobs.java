package dev.bbagent.webhook;

import dev.bbagent.event.Event;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.NewJob;
import java.util.List;

/** The jobs a set of matched rules asks for: one per rule, keyed the way the rule serializes its runs. */
public final class Jobs {

    private Jobs() {}

    public static List<NewJob> forMatch(RulesRuntime.Match match, Event event) {
        return match.matched().stream().map(r -> job(r, match.rules().version(), event)).toList();
    }

    static NewJob job(CompiledRule rule, String version, Event event) {
        var s = rule.settings();
        String key = switch (s.concurrency()) {
            case "repo" -> event.repository().fullName();
            case "none" -> null;
            default -> event.thread();
        };
        return new NewJob(rule.name(), version, event.repository().fullName(), event.thread(), key,
                key == null ? event.thread() : key, s.supersede(), s.debounce(), s.retries() + 1);
    }
}
