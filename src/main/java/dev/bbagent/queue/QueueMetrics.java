package dev.bbagent.queue;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The queue's meters. Labels are rule names (bounded by the rules file) and fixed outcome words. */
final class QueueMetrics {

    private final MeterRegistry registry;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    QueueMetrics(MeterRegistry registry) {
        this.registry = registry;
        gauge("bbagent.jobs.queued", "Jobs waiting to run (queued or waiting to retry)", "queued", "retrying");
        gauge("bbagent.jobs.running", "Jobs running in any bbagent process", "running");
        gauge("bbagent.jobs.dead", "Jobs that gave up; see /api/jobs?state=dead", "dead");
    }

    private void gauge(String name, String help, String... states) {
        Gauge.builder(name, counts, c -> {
            int sum = 0;
            for (String s : states) {
                sum += c.getOrDefault(s, 0);
            }
            return sum;
        }).description(help).register(registry);
    }

    void counts(Map<String, Integer> byState) {
        counts.putAll(byState);
    }

    /** {@code bbagent_jobs_total{rule,outcome}}: succeeded, retrying, dead, deferred, lost. */
    void job(String rule, String outcome) {
        Counter.builder("bbagent.jobs").description("Job attempts' effect on the job, by rule")
                .tag("rule", rule).tag("outcome", outcome).register(registry).increment();
    }

    /** {@code bbagent_job_attempts_total{rule,result}}: success, transient, permanent, deferred, crashed. */
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
        Counter.builder("bbagent.jobs.recovered").description("Jobs taken back from a worker that stopped (lease expired)")
                .register(registry).increment(n);
    }

    private Timer timer(String name, String help, String rule) {
        return Timer.builder(name).description(help).tag("rule", rule)
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2),
                        Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30))
                .register(registry);
    }
}
