package dev.bbagent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meter registry and the names of bbagent's own meters. Every name starts with {@code bbagent_};
 * every label has a bounded set of values (event keys bbagent does not know become {@code other}).
 */
public final class Metrics implements AutoCloseable {

    /** Outcomes of a webhook delivery, the values of the {@code outcome} label. */
    public static final List<String> DELIVERY_OUTCOMES = List.of(
            "accepted", "duplicate", "duplicate_event", "ignored", "unauthorized", "malformed", "too_large",
            "unsupported_media_type", "aborted", "busy", "ping", "store_error");

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    /** The intake's meters by their labels, found once: every delivery counts one and times one. */
    private final Map<String, Counter> deliveries = new ConcurrentHashMap<>();
    private final Map<String, Timer> intakes = new ConcurrentHashMap<>();

    public Metrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Two of Micrometer's processor meters break Prometheus' naming rules (promtool check metrics):
        // process_cpu_time_ns_total (an abbreviated unit) and system_cpu_count (a gauge ending in _count).
        // process_cpu_usage and system_cpu_usage stay.
        registry.config().meterFilter(MeterFilter.deny(id ->
                id.getName().equals("process.cpu.time") || id.getName().equals("system.cpu.count")));
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
        for (String edition : List.of("cloud", "datacenter", "jira")) {
            for (String outcome : DELIVERY_OUTCOMES) {
                delivery(edition, "other", outcome);
            }
        }
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    /** {@code bbagent_webhook_deliveries_total{edition,event,outcome}}. */
    public Counter delivery(String edition, String event, String outcome) {
        String key = edition + '\n' + event + '\n' + outcome;
        return deliveries.computeIfAbsent(key, k -> Counter.builder("bbagent.webhook.deliveries")
                .description("Webhook deliveries by edition, event key and outcome")
                .tag("edition", edition)
                .tag("event", event)
                .tag("outcome", outcome)
                .register(registry));
    }

    /** {@code bbagent_webhook_intake_seconds{edition}}: request received to response decided. */
    public Timer intake(String edition) {
        return intakes.computeIfAbsent(edition, e -> Timer.builder("bbagent.webhook.intake")
                .description("Time from request to response for webhook deliveries, durable commit included")
                .tag("edition", e)
                .serviceLevelObjectives(
                        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
                        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
                        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry));
    }

    /** {@code bbagent_errors_total{component}}: failures of background loops and other paths without a meter of their own. */
    public Counter error(String component) {
        return Counter.builder("bbagent.errors")
                .description("Unexpected failures by component (background loops keep running)")
                .tag("component", component)
                .register(registry);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
