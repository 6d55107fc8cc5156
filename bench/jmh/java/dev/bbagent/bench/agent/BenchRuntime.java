package dev.bbagent.bench.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.agent.AgentRunner;
import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.event.Event;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.queue.JobContext;
import dev.bbagent.queue.JobHandler;
import dev.bbagent.queue.JobOutcome;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.Job;
import dev.bbagent.store.NewJob;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteJobStore;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.webhook.Jobs;
import dev.bbagent.webhook.Replay;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * One bbagent agent runtime wired exactly as {@code App} wires it, minus HTTP intake: SQLite main store and
 * job queue, rules compiled from a rules.yaml file, the per-repository history, the MCP servers of the rules
 * (one Streamable HTTP server), openai-java against the fake model, and {@link AgentRunner}. Everything
 * lives in a temporary folder.
 *
 * <p>Timing: every run is wrapped by {@link Timed}, which measures the handler's wall time and, through an
 * inheritable thread-local, the time bbagent's own meters attribute to this run: {@code bbagent.llm.request}
 * (around {@code ChatCompletionsApi.complete}: openai-java request building, the HTTP round trip, response
 * parsing) and {@code bbagent.tool.call} (around one tool call in {@code ToolExecutor}: name lookup, argument
 * parsing, policy check and the MCP call). Overhead = wall - LLM - tool.
 */
final class BenchRuntime implements AutoCloseable {

    static final String REPO_EVENT_KEY = "pullrequest:fulfilled";
    static final String API_KEY = "sk-bench-0123456789abcdef";
    static final String INSTRUCTIONS = "You are a benchmark agent. Use the echo tool once, then answer.";

    /** What one run cost, in nanoseconds, and how it ended. */
    record Sample(long wallNs, long llmNs, long toolNs, int llmCalls, int toolCalls, int failedCalls, String outcome) {
        long overheadNs() {
            return wallNs - llmNs - toolNs;
        }

        boolean ok() {
            return outcome.startsWith("completed, 2 turns, 1 tool calls") && llmCalls == 2 && toolCalls == 1
                    && failedCalls == 0;
        }
    }

    /** Per-run accumulators; inherited by the tool executor's virtual threads. */
    static final class Acc {
        final LongAdder llmNs = new LongAdder();
        final LongAdder toolNs = new LongAdder();
        final AtomicInteger llmCalls = new AtomicInteger();
        final AtomicInteger toolCalls = new AtomicInteger();
        /** Model requests and tool calls whose outcome was not ok (retried ones included). */
        final AtomicInteger failedCalls = new AtomicInteger();
    }

    static final InheritableThreadLocal<Acc> CURRENT = new InheritableThreadLocal<>();

    /**
     * A registry whose two timers of interest also add to the current run's accumulator, and whose outcome
     * counters of model requests and tool calls count the run's failed ones.
     */
    static final class AttributingRegistry extends SimpleMeterRegistry {
        @Override
        protected io.micrometer.core.instrument.Counter newCounter(Meter.Id id) {
            boolean failure = (id.getName().equals("bbagent.llm.requests") || id.getName().equals("bbagent.tool.calls"))
                    && !"ok".equals(id.getTag("outcome"));
            return new io.micrometer.core.instrument.cumulative.CumulativeCounter(id) {
                @Override
                public void increment(double amount) {
                    super.increment(amount);
                    Acc a = CURRENT.get();
                    if (failure && a != null) {
                        a.failedCalls.incrementAndGet();
                    }
                }
            };
        }

        @Override
        protected Timer newTimer(Meter.Id id, DistributionStatisticConfig cfg, PauseDetector pause) {
            int kind = switch (id.getName()) {
                case "bbagent.llm.request" -> 1;
                case "bbagent.tool.call" -> 2;
                default -> 0;
            };
            return new CumulativeTimer(id, clock, cfg, pause, getBaseTimeUnit(), false) {
                @Override
                protected void recordNonNegative(long amount, TimeUnit unit) {
                    super.recordNonNegative(amount, unit);
                    Acc a = CURRENT.get();
                    if (a != null && kind == 1) {
                        a.llmNs.add(unit.toNanos(amount));
                        a.llmCalls.incrementAndGet();
                    } else if (a != null && kind == 2) {
                        a.toolNs.add(unit.toNanos(amount));
                        a.toolCalls.incrementAndGet();
                    }
                }
            };
        }
    }

    /** The agent runner with per-run timing; samples go to {@link #samples}. */
    final class Timed implements JobHandler {
        final ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peakInFlight = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile long firstAllInFlightNs;
        int target;

        @Override
        public JobOutcome handle(JobContext ctx) throws InterruptedException {
            Acc acc = new Acc();
            CURRENT.set(acc);
            int now = inFlight.incrementAndGet();
            peakInFlight.accumulateAndGet(now, Math::max);
            if (target > 0 && now >= target && firstAllInFlightNs == 0) {
                firstAllInFlightNs = System.nanoTime();
            }
            long t0 = System.nanoTime();
            String outcome = "exception";
            try {
                JobOutcome o = runner.handle(ctx);
                outcome = switch (o) {
                    case JobOutcome.Success s -> s.summary();
                    default -> String.valueOf(o);
                };
                return o;
            } finally {
                long wall = System.nanoTime() - t0;
                inFlight.decrementAndGet();
                CURRENT.remove();
                samples.add(new Sample(wall, acc.llmNs.sum(), acc.toolNs.sum(), acc.llmCalls.get(),
                        acc.toolCalls.get(), acc.failedCalls.get(), outcome));
                done.incrementAndGet();
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path dir;
    final Metrics metrics = new Metrics();
    final AttributingRegistry timing = new AttributingRegistry();
    final CompositeMeterRegistry registry;
    final SqliteStore store;
    final SqliteJobStore jobs;
    final RulesRuntime rules;
    final HistoryStore history;
    final McpServers servers;
    final LlmClient llm;
    final AgentRunner runner;
    private final ObjectNode payload;
    private final AtomicInteger prIds = new AtomicInteger(1000);

    BenchRuntime(String llmUrl, String mcpUrl, Path payloadFile) throws Exception {
        dir = Files.createTempDirectory("bbagent-agent-bench");
        registry = new CompositeMeterRegistry(io.micrometer.core.instrument.Clock.SYSTEM,
                List.of(metrics.registry(), timing));
        Clock clock = Clock.systemUTC();
        store = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.FULL, clock, registry);
        jobs = new SqliteJobStore(store.file());
        Path rulesFile = dir.resolve("rules.yaml");
        Files.writeString(rulesFile, rulesYaml(mcpUrl));
        rules = new RulesRuntime(rulesFile, Map.of(), metrics, r -> store.saveRuleVersion(r.version(), r.text()),
                store::ruleVersionText);
        history = new HistoryStore(dir, new Redactor(List.of(API_KEY)), clock, registry, 20_000,
                Duration.ofMinutes(5));
        servers = new McpServers(rules.current().servers(), Map.of(), registry);
        llm = new LlmClient(LlmClient.Settings.of(llmUrl, API_KEY), registry);
        runner = new AgentRunner(rules, store, Replay::event, servers, llm, history,
                new AgentRunner.Settings(false), registry, clock);
        payload = (ObjectNode) JSON.readTree(Files.readAllBytes(payloadFile));
    }

    /** The rules: one rule, the production defaults except the model name, one MCP server, one tool. */
    static String rulesYaml(String mcpUrl) {
        return """
                version: 1
                defaults: {model: gpt-bench}
                mcp_servers:
                  mcp: {url: "%s"}
                rules:
                  - name: bench
                    on: ["%s"]
                    instructions: "%s"
                    tools: [mcp.echo]
                    prompt: "Echo the title of pull request #{{pull_request.id}}: {{pull_request.title}}"
                """.formatted(mcpUrl, REPO_EVENT_KEY, INSTRUCTIONS);
    }

    /**
     * Stores {@code n} deliveries, each the benchmark payload with its own pull request id (so every run has
     * its own thread, as distinct pull requests do), and queues their jobs as intake does, in the same
     * transaction. Returns the job ids.
     */
    List<Long> enqueue(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        List<java.util.concurrent.CompletableFuture<Boolean>> stored = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int pr = prIds.incrementAndGet();
            ObjectNode body = payload.deepCopy();
            ((ObjectNode) body.path("pullrequest")).put("id", pr);
            byte[] raw = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            String id = prefix + "-" + pr;
            Instant now = Instant.now();
            Delivery probe = new Delivery(id, "cloud", REPO_EVENT_KEY, null, null, null, "accepted", 1, now, Map.of(),
                    raw, List.of());
            Event event = Replay.event(probe);
            RulesRuntime.Match match = rules.match(event);
            List<NewJob> newJobs = Jobs.forMatch(match, event);
            if (newJobs.size() != 1) {
                throw new IllegalStateException("the benchmark event should match exactly one rule, matched "
                        + match.matched().stream().map(CompiledRule::name).toList());
            }
            Delivery d = new Delivery(id, "cloud", REPO_EVENT_KEY, event.kind(), event.repository().fullName(),
                    event.thread(), "accepted", 1, now, Map.of("X-Event-Key", REPO_EVENT_KEY), raw,
                    match.matched().stream().map(CompiledRule::name).toList());
            stored.add(store.insert(d, newJobs));
            ids.add(id);
        }
        stored.forEach(java.util.concurrent.CompletableFuture::join);
        List<Long> out = new ArrayList<>();
        for (String id : ids) {
            for (Job j : jobs.jobsOfDelivery(id)) {
                out.add(j.id());
            }
        }
        return out;
    }

    Timed timed(int target) {
        Timed t = new Timed();
        t.target = target;
        return t;
    }

    @Override
    public void close() throws Exception {
        llm.close();
        servers.close();
        history.close();
        store.close();
        metrics.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    // ---- statistics -------------------------------------------------------------------------------

    /** Nearest-rank percentile of nanosecond values, in milliseconds. */
    static double pct(long[] sortedNs, double p) {
        if (sortedNs.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sortedNs.length);
        return sortedNs[Math.max(0, Math.min(sortedNs.length - 1, rank - 1))] / 1e6;
    }

    static long[] sorted(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        return s.stream().mapToLong(f).sorted().toArray();
    }

    static double mean(List<Sample> s, java.util.function.ToLongFunction<Sample> f) {
        return s.stream().mapToLong(f).average().orElse(Double.NaN) / 1e6;
    }
}
