package dev.bbagent.rules;

import dev.bbagent.event.Event;
import dev.bbagent.metrics.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force. A reload replaces them atomically when the new file is valid; an invalid file is
 * rejected, logged and counted, and the previous rules stay. Older versions stay available by their
 * hash so queued jobs run with the rules they were matched with.
 */
public final class RulesRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(RulesRuntime.class);

    /** The result of a reload attempt. */
    public record Reload(boolean changed, boolean ok, String version, List<String> problems) {}

    private final Path path;
    private final Map<String, String> env;
    private final MeterRegistry registry;
    private final AtomicReference<CompiledRules> current = new AtomicReference<>();
    private final Map<String, CompiledRules> versions = new ConcurrentHashMap<>();
    private final Set<String> discoveredBotIds = ConcurrentHashMap.newKeySet();
    private final Consumer<CompiledRules> onLoaded;
    private final java.util.List<Consumer<CompiledRules>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Function<String, Optional<String>> storedText;
    private volatile String lastProblem;

    /**
     * Load the file now.
     *
     * @param onLoaded called with every version that becomes current (the store keeps its text)
     * @param storedText finds the text of an older version (for jobs queued before a restart)
     * @throws RulesException when the file is invalid at startup: there are no previous rules to keep
     */
    public RulesRuntime(Path path, Map<String, String> env, Metrics metrics, Consumer<CompiledRules> onLoaded,
            Function<String, Optional<String>> storedText) {
        this.path = path;
        this.env = Map.copyOf(env);
        this.registry = metrics.registry();
        this.onLoaded = onLoaded;
        this.storedText = storedText;
        RulesLoader.Loaded first = RulesLoader.load(path, env);
        if (!first.ok()) {
            reloads("failure").increment();
            throw new RulesException("the rules file is invalid:\n" + first.report().stripTrailing());
        }
        install(first.rules());
        reloads("failure");
        Gauge.builder("bbagent.rules.loaded", this, r -> r.current().enabledCount())
                .description("Enabled rules in the rules version in force")
                .register(registry);
    }

    public CompiledRules current() {
        return current.get();
    }

    /** A version by hash: the current one, a cached one, or one recompiled from the store's copy. */
    public Optional<CompiledRules> version(String version) {
        CompiledRules now = current.get();
        if (now.version().equals(version)) {
            return Optional.of(now);
        }
        CompiledRules cached = versions.get(version);
        if (cached != null) {
            return Optional.of(cached);
        }
        return storedText.apply(version).map(text -> RulesLoader.load(path.toString(), text, env))
                .filter(RulesLoader.Loaded::ok).map(l -> {
                    versions.put(version, l.rules());
                    return l.rules();
                });
    }

    /** Accounts bbagent acts as: rules.yaml's bot.account_ids plus those discovered from the API. */
    public Set<String> botIds() {
        Set<String> ids = new LinkedHashSet<>(current.get().botAccountIds());
        ids.addAll(discoveredBotIds);
        return ids;
    }

    public void addBotId(String id) {
        if (id != null && !id.isBlank()) {
            discoveredBotIds.add(id);
        }
    }

    /** Match an event against the current rules; {@code if} errors are counted per rule and logged. */
    public Match match(Event event) {
        CompiledRules rules = current.get();
        List<Matcher.Decision> decisions = Matcher.evaluate(rules, botIds(), event);
        for (Matcher.Decision d : decisions) {
            if (d.error()) {
                ruleErrors(d.rule().name()).increment();
                LOG.warn("rule {}: delivery {}: {}; the rule is skipped for this event", d.rule().name(),
                        event.delivery(), d.reason());
            }
        }
        return new Match(rules, decisions);
    }

    /** The decisions for one event and the rules version they were made with. */
    public record Match(CompiledRules rules, List<Matcher.Decision> decisions) {

        public List<CompiledRule> matched() {
            return decisions.stream().filter(Matcher.Decision::matched).map(Matcher.Decision::rule).toList();
        }
    }

    /**
     * Re-read the file; keep the old rules if the new ones are invalid. Every rejection is counted; it is
     * logged once per distinct rejected content and problems, so asking again about the same bad file
     * does not repeat the log.
     */
    public synchronized Reload reload() {
        RulesLoader.Loaded l = RulesLoader.load(path, env);
        if (!l.ok()) {
            reloads("failure").increment();
            List<String> problems = l.problems().stream().map(dev.bbagent.config.Problem::format).toList();
            String report = String.join("\n  ", problems);
            String key = l.version() + "\n" + report;
            if (!key.equals(lastProblem)) {
                LOG.error("rules reload rejected; the rules of version {} stay in force:\n  {}", current().version(), report);
                lastProblem = key;
            }
            return new Reload(false, false, current().version(), problems);
        }
        lastProblem = null;
        if (l.rules().version().equals(current().version())) {
            return new Reload(false, true, current().version(), List.of());
        }
        install(l.rules());
        reloads("success").increment();
        LOG.info("rules reloaded: version {} with {} enabled rules", l.rules().version(), l.rules().enabledCount());
        return new Reload(true, true, l.rules().version(), List.of());
    }

    /**
     * The file was deleted or moved away: warn, keep the rules in force. Not counted as a failed reload;
     * whatever appears at the path next is reloaded (and logged if rejected, even if it was rejected before).
     */
    public synchronized void fileMissing() {
        lastProblem = null;
        LOG.warn("rules file {} is gone; the rules of version {} stay in force until it is back", path,
                current().version());
    }

    private void install(CompiledRules rules) {
        CompiledRules old = current.getAndSet(rules);
        if (old != null) {
            versions.put(old.version(), old);
        }
        versions.put(rules.version(), rules);
        onLoaded.accept(rules);
        for (Consumer<CompiledRules> l : listeners) {
            try {
                l.accept(rules);
            } catch (RuntimeException e) {
                LOG.error("applying rules version {} failed in a listener: {}", rules.version(), e.getMessage(), e);
            }
        }
    }

    /** Called with every version that becomes current from now on (MCP servers, secrets to redact). */
    public void onChange(Consumer<CompiledRules> listener) {
        listeners.add(listener);
    }

    public Path path() {
        return path;
    }

    private Counter reloads(String outcome) {
        return Counter.builder("bbagent.rules.reload").description("Rules file reloads by outcome")
                .tag("outcome", outcome).register(registry);
    }

    private Counter ruleErrors(String rule) {
        return Counter.builder("bbagent.rule.errors")
                .description("Rule conditions that failed to evaluate for an event (the rule was skipped)")
                .tag("rule", rule).register(registry);
    }
}
