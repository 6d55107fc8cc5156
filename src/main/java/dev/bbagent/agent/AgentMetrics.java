package dev.bbagent.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** The agent's meters. Labels: rule names, model names and tool names (all bounded by configuration). */
final class AgentMetrics {

    private final MeterRegistry registry;

    AgentMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code status}: completed, partial, failed, skipped. */
    void run(String rule, String status, Duration took) {
        Counter.builder("bbagent.agent.runs").description("Agent runs by rule and status")
                .tag("rule", rule).tag("status", status).register(registry).increment();
        Timer.builder("bbagent.agent.run").description("Agent run duration").tag("rule", rule)
                .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15),
                        Duration.ofSeconds(30), Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5),
                        Duration.ofMinutes(10))
                .register(registry).record(took);
    }

    /** {@code outcome}: ok, error, denied, timeout, dry_run, unavailable. */
    void toolCall(String server, String tool, String outcome, Duration took) {
        Counter.builder("bbagent.tool.calls").description("Tool calls by server, tool and outcome")
                .tag("server", server).tag("tool", tool).tag("outcome", outcome).register(registry).increment();
        Timer.builder("bbagent.tool.call").description("Tool call duration").tag("server", server).tag("tool", tool)
                .serviceLevelObjectives(Duration.ofMillis(50), Duration.ofMillis(250), Duration.ofSeconds(1),
                        Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(60))
                .register(registry).record(took);
    }

    void cost(String model, double usd) {
        if (usd > 0) {
            Counter.builder("bbagent.llm.cost.usd").description("Estimated model spend in USD (from the pricing table)")
                    .tag("model", model).register(registry).increment(usd);
        }
    }

    /**
     * Registers a rule's alerting counters at 0 when the rule is loaded. A counter that first appears with
     * value 1 has no increase in Prometheus ({@code increase()} needs the 0 before it), so an alert on the
     * first loop-breaker trip or budget deferral after a start would never fire.
     */
    void rule(String rule) {
        loopBreakerTrips(rule);
        budgetDeferrals(rule);
    }

    void loopBreaker(String rule) {
        loopBreakerTrips(rule).increment();
    }

    void budgetDeferred(String rule) {
        budgetDeferrals(rule).increment();
    }

    private Counter loopBreakerTrips(String rule) {
        return Counter.builder("bbagent.loop.breaker.trips")
                .description("Runs refused because the thread had too many writes in the last hour")
                .tag("rule", rule).register(registry);
    }

    private Counter budgetDeferrals(String rule) {
        return Counter.builder("bbagent.budget.deferrals")
                .description("Jobs deferred to the next UTC day because the repository's daily budget is spent")
                .tag("rule", rule).register(registry);
    }

    /** {@code limit}: max_turns, timeout, max_tokens, budget. */
    void limitReached(String rule, String limit) {
        Counter.builder("bbagent.agent.limits").description("Runs that hit a limit and ended partial")
                .tag("rule", rule).tag("limit", limit).register(registry).increment();
    }
}
