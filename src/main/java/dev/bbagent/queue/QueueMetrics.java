package dev.bbagent.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The queue's meters. Labels are rule names (bounded by the rules file) and fixed outcome words. */
final class QueueMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(QueueMetrics.class);
    /** One scrape reads the job counts once for its three gauges; a second scraper within this time shares them. */
    private static final long COUNTS_TTL_NANOS = Duration.ofSeconds(1).toNanos();

    private final MeterRegistry registry;
    private final Supplier<Map<String, Integer>> source;
    private Map<String, Integer> counts = Map.of();
    private long countedAt;
    private boolean counted;

    /**
     * @param counts jobs by state, read from the store when a scrape asks (the gauges are never older
     *     than a second); when reading fails, the gauges keep the last counts and the failure is counted
     */
    QueueMetrics(MeterRegistry registry, Supplier<Map<String, Integer>> counts) {
        this.registry = registry;
        this.source = counts;
        gauge("bbagent.jobs.queued", "Jobs waiting to run (queued or waiting to retry)", "queued", "retrying");
        gauge("bbagent.jobs.running", "Jobs running in any bbagent process", "running");
        gauge("bbagent.jobs.dead", "Jobs that gave up; see /api/jobs?state=dead", "dead");
        // Exported from the start (at 0), so alerts and dashboards see the series before the first recovery.
        recoveredCounter();
    }

    private void gauge(String name, String help, String... states) {
        Gauge.builder(name, this, m -> {
            Map<String, Integer> c = m.counts();
            int sum = 0;
            for (String s : states) {
                sum += c.getOrDefault(s, 0);
            }
            return sum;
        }).description(help).register(registry);
    }

    private synchronized Map<String, Integer> counts() {
        long now = System.nanoTime();
        if (!counted || now - countedAt > COUNTS_TTL_NANOS) {
            try {
                counts = source.get();
            } catch (RuntimeException e) {
                LOG.warn("counting jobs for the queue gauges failed: {}; the gauges show the last counts", e.getMessage());
                Counter.builder("bbagent.errors").description("Unexpected failures by component (background loops keep running)")
                        .tag("component", "queue_gauges").register(registry).increment();
            }
            counted = true;
            countedAt = now;
        }
        return counts;
    }

    /** {@code bbagent_jobs_total{rule,outcome}}: succeeded, retrying, dead, deferred, lost. */
    void job(String rule, String outcome) {
        Counter.builder("bbagent.jobs").description("Job attempts' effect on the job, by rule")
                .tag("rule", rule).tag("outcome", outcome).register(registry).increment();
    }

    /** {@code bbagent_job_attempts_total{rule,result}}: success, transient, permanent, deferred, crashed,
     * interrupted; exactly one per attempt. */
    void attempt(String rule, String result) {
        Counter.builder("bbagent.job.attempts").description("Job attempts by rule and result")
                .tag("rule", rule).tag("result", result).register(registry).increment();
    }

    void duration(String rule, Duration d) {
        timer("bbagent.job.duration", "Time one job attempt ran", rule).record(d);
    }

    void waited(String rule, Duration d) {
        timer("bbagent.job.wait", "Time a due job waited for a worker", rule).record(d.isNegative() ? Duration.ZERO : d);
    }

    void recovered(int n) {
        recoveredCounter().increment(n);
    }

    private Counter recoveredCounter() {
        return Counter.builder("bbagent.jobs.recovered")
                .description("Jobs taken back from a process that stopped (lease expired, or a restart of the same instance)")
                .register(registry);
    }

    private Timer timer(String name, String help, String rule) {
        return Timer.builder(name).description(help).tag("rule", rule)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30))
                .register(registry);
    }
}
