package dev.bbagent.mcp;

import dev.bbagent.config.Durations;
import dev.bbagent.config.RulesFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tool sources of the {@code mcp_servers} of rules.yaml, by name.
 *
 * <ul>
 *   <li>{@code builtin} servers map to the caller's in-process sources by builtin name; a builtin the
 *       caller did not supply becomes an {@link UnavailableToolSource}. To give the reason a builtin
 *       is missing, supply {@code new UnavailableToolSource("jira", "built-in 'jira' is not configured:
 *       set JIRA_BASE_URL...")}. The caller owns its builtin sources; this class never closes them.
 *   <li>stdio and URL servers become {@link McpToolSource}s, which connect on first use.
 *   <li>{@code hosted} servers (the Responses API calls them) and disabled servers are left out.
 * </ul>
 *
 * <p>Meters, per server: {@code bbagent_mcp_server_up{server}} (1 when the last contact succeeded
 * or none happened yet, else 0) and {@code bbagent_mcp_reconnects_total{server}} (successful
 * connections after the first).
 *
 * <p>Every source here takes a null timeout in {@link ToolSource#call} as the server's {@code timeout}
 * in rules.yaml ({@link McpToolSource.Options#callTimeout()}, 60 s by default, when it has none).
 *
 * <p>Thread-safe. A source taken before {@link #update} replaced or removed its server is closed and
 * answers {@link ToolSourceUnavailableException}; take sources again for each run.
 */
public final class McpServers implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(McpServers.class);
    static final String UP_METER = "bbagent.mcp.server.up";
    static final String RECONNECTS_METER = "bbagent.mcp.reconnects";

    private record Entry(RulesFile.McpServer def, ToolSource source) {}

    private final Map<String, ToolSource> builtins;
    private final MeterRegistry registry;
    private final McpToolSource.Options options;
    private final Map<String, List<Meter>> meters = new HashMap<>();
    private volatile Map<String, Entry> entries = Map.of();

    /** Servers with {@link McpToolSource.Options#defaults()}. */
    public McpServers(Map<String, RulesFile.McpServer> servers, Map<String, ToolSource> builtins,
            MeterRegistry registry) {
        this(servers, builtins, registry, McpToolSource.Options.defaults());
    }

    /**
     * @param servers {@code mcp_servers} of rules.yaml
     * @param builtins in-process sources by builtin name ({@code bitbucket}, {@code jira})
     * @param options for the sources bbagent connects itself ({@code onReconnect} is replaced by the metric)
     */
    public McpServers(Map<String, RulesFile.McpServer> servers, Map<String, ToolSource> builtins,
            MeterRegistry registry, McpToolSource.Options options) {
        this.builtins = Map.copyOf(builtins);
        this.registry = registry;
        this.options = options;
        update(servers);
    }

    /** The source of a defined, enabled, non-hosted server. */
    public Optional<ToolSource> source(String name) {
        Entry e = entries.get(name);
        return e == null ? Optional.empty() : Optional.of(e.source());
    }

    /** Every source by server name, sorted by name. */
    public Map<String, ToolSource> sources() {
        Map<String, ToolSource> out = new TreeMap<>();
        entries.forEach((name, e) -> out.put(name, e.source()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * For /health/ready: every server by name, sorted, with null when it is up (or not contacted yet)
     * and its problem otherwise.
     */
    public Map<String, String> health() {
        Map<String, String> out = new TreeMap<>();
        entries.forEach((name, e) -> out.put(name, e.source().up() ? null : e.source().problem()));
        return Collections.unmodifiableMap(out);
    }

    /**
     * Applies reloaded rules: servers whose definition is unchanged keep their source and connection;
     * changed and removed servers are closed (stdio processes stopped); new ones connect on first use.
     */
    public synchronized void update(Map<String, RulesFile.McpServer> servers) {
        Map<String, Entry> old = entries;
        Map<String, Entry> next = new LinkedHashMap<>();
        new TreeMap<>(servers).forEach((name, def) -> {
            if (def == null || !def.isEnabled() || def.isHosted()) {
                return;
            }
            Entry kept = old.get(name);
            next.put(name, kept != null && kept.def().equals(def) ? kept : new Entry(def, create(name, def)));
        });
        List<Map.Entry<String, Entry>> retired = new ArrayList<>();
        old.forEach((name, e) -> {
            if (next.get(name) != e) {
                retired.add(Map.entry(name, e));
            }
        });
        entries = Collections.unmodifiableMap(next);
        next.keySet().forEach(this::registerMeters);
        for (Map.Entry<String, Entry> r : retired) {
            if (!next.containsKey(r.getKey())) {
                removeMeters(r.getKey());
            }
            log.info("MCP server '{}' {}", r.getKey(), next.containsKey(r.getKey()) ? "changed: reconnecting on next use"
                    : "removed");
            closeQuietly(r.getValue().source());
        }
    }

    private ToolSource create(String name, RulesFile.McpServer def) {
        if (def.builtin() != null) {
            ToolSource builtin = builtins.get(def.builtin());
            if (builtin == null) {
                return new UnavailableToolSource(name, "built-in '" + def.builtin() + "' is not available in this bbagent");
            }
            try {
                Duration timeout = def.timeout() == null ? options.callTimeout()
                        : Durations.parse(def.timeout(), "mcp_servers." + name + ".timeout");
                return new RenamedToolSource(name, builtin, timeout);
            } catch (RuntimeException e) {
                return new UnavailableToolSource(name, e.getMessage());
            }
        }
        Counter reconnects = reconnects(name);
        try {
            return McpToolSource.of(name, def, options.withOnReconnect(reconnects::increment));
        } catch (IllegalArgumentException e) {
            return new UnavailableToolSource(name, e.getMessage());
        }
    }

    private void registerMeters(String name) {
        if (meters.containsKey(name)) {
            return;
        }
        Gauge up = Gauge.builder(UP_METER, this, m -> m.upValue(name))
                .description("1 when the last contact with the MCP server succeeded (or none happened yet), else 0")
                .tag("server", name)
                .register(registry);
        meters.put(name, List.of(up, reconnects(name)));
    }

    private Counter reconnects(String name) {
        return Counter.builder(RECONNECTS_METER)
                .description("Successful connections to an MCP server after its first (the connection was lost)")
                .tag("server", name)
                .register(registry);
    }

    private void removeMeters(String name) {
        List<Meter> list = meters.remove(name);
        if (list != null) {
            list.forEach(registry::remove);
        }
    }

    private double upValue(String name) {
        Entry e = entries.get(name);
        return e == null ? Double.NaN : e.source().up() ? 1 : 0;
    }

    /** Closes every source this class created (not the caller's builtins) and removes the meters. */
    @Override
    public synchronized void close() {
        Map<String, Entry> old = entries;
        entries = Map.of();
        old.values().forEach(e -> closeQuietly(e.source()));
        List.copyOf(meters.keySet()).forEach(this::removeMeters);
    }

    private static void closeQuietly(ToolSource source) {
        try {
            source.close();
        } catch (RuntimeException e) {
            log.warn("closing MCP server '{}' failed", source.name(), e);
        }
    }
}
