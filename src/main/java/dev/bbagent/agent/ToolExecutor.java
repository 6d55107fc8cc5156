package dev.bbagent.agent;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.agent.llm.Msg;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.RepoHistory;
import dev.bbagent.mcp.ToolCallTimeoutException;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolSourceUnavailableException;
import dev.bbagent.mcp.ToolTransientException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one turn's tool calls at once (no approval step), each through the policy first. Every outcome,
 * denied and failed ones included, becomes a tool result the model reads; only a transient failure of
 * the API behind a tool (rate limit, outage) ends the run, so the job can be retried later.
 */
final class ToolExecutor {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    /** One call's result for the model, plus whether it changed something. */
    record Outcome(Msg.ToolResult result, boolean wrote) {}

    private final ToolBox box;
    private final ToolPolicy policy;
    private final RepoHistory history;
    private final long runId;
    private final String rule;
    private final boolean dryRun;
    /** The least time a tool call gets, even when the run's time is (nearly) up. */
    static final Duration MIN_CALL_TIME = Duration.ofSeconds(1);

    private final AgentMetrics metrics;
    private final Clock clock;
    private final AtomicInteger writes = new AtomicInteger();
    private final LoopBreaker breaker;

    /** The thread's recent writes; trips once when the limit is reached. */
    static final class LoopBreaker {
        private final int limit;
        private final AtomicInteger used;
        private volatile boolean tripped;

        LoopBreaker(int limit, int alreadyThisHour) {
            this.limit = limit;
            this.used = new AtomicInteger(alreadyThisHour);
        }

        boolean take() {
            if (used.incrementAndGet() > limit) {
                used.decrementAndGet();
                return false;
            }
            return true;
        }

        void giveBack() {
            used.decrementAndGet();
        }

        boolean tripOnce() {
            if (tripped) {
                return false;
            }
            tripped = true;
            return true;
        }
    }

    ToolExecutor(ToolBox box, ToolPolicy policy, RepoHistory history, long runId, String rule, boolean dryRun,
            LoopBreaker breaker, AgentMetrics metrics, Clock clock) {
        this.box = box;
        this.policy = policy;
        this.history = history;
        this.runId = runId;
        this.rule = rule;
        this.dryRun = dryRun;
        this.breaker = breaker;
        this.metrics = metrics;
        this.clock = clock;
    }

    int writes() {
        return writes.get();
    }

    boolean breakerTripped() {
        return breaker.tripped;
    }

    /**
     * @throws ToolTransientException when a tool's API is rate limited or down (after every call of the turn
     *     has finished and been recorded)
     */
    List<Outcome> runAll(List<Msg.ToolCall> calls, Map<String, Object> injected, long deadline)
            throws InterruptedException {
        // Within the run's time (deadline on System.nanoTime()), but at least MIN_CALL_TIME, so a call the
        // model was just given is not cut off before it could answer; the source caps it at its own timeout.
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        Duration bound = left.compareTo(MIN_CALL_TIME) > 0 ? left : MIN_CALL_TIME;
        List<Outcome> out = new ArrayList<>();
        ToolTransientException transientFailure = null;
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Msg.ToolCall c : calls) {
                Callable<Outcome> task = () -> runOne(c, injected, bound);
                futures.add(ex.submit(task));
            }
            for (Future<Outcome> f : futures) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof ToolTransientException te) {
                        transientFailure = te;
                    } else {
                        throw new IllegalStateException(e.getCause());
                    }
                }
            }
        }
        if (transientFailure != null) {
            throw transientFailure;
        }
        return out;
    }

    private Outcome runOne(Msg.ToolCall call, Map<String, Object> injected, Duration timeLeft) {
        long start = System.nanoTime();
        var entry = box.resolve(call.name());
        if (entry.isEmpty()) {
            String msg = "denied: there is no tool named '" + call.name() + "'; use only the tools you were given";
            record(call, "unknown", call.name(), call.arguments(), msg, "denied", msg, true, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), msg), false);
        }
        var e = entry.get();
        Map<String, Object> args;
        try {
            args = call.arguments() == null || call.arguments().isBlank() ? new HashMap<>()
                    : new HashMap<>(JSON.readValue(call.arguments(), MAP));
        } catch (IOException ex) {
            String msg = "error: the arguments are not a JSON object (" + ex.getMessage().lines().findFirst().orElse("") + "); call again with"
                    + " valid JSON";
            record(call, e.server(), e.spec().name(), call.arguments(), msg, "error", "allowed", true, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), msg), false);
        }
        injected.forEach((k, v) -> {
            if (e.spec().inputSchema().get("properties") instanceof Map<?, ?> props && props.containsKey(k)) {
                args.put(k, v);
            }
        });
        String argsText = toJson(args);
        boolean write = ToolPolicy.isWrite(e.spec());
        ToolPolicy.Verdict v = policy.check(e.server(), e.spec(), args, writes.get());
        if (v.allowed() && write) {
            if (writes.incrementAndGet() > policyMax()) {
                writes.decrementAndGet();
                v = policy.budgetSpent();
            } else if (!breaker.take()) {
                writes.decrementAndGet();
                if (breaker.tripOnce()) {
                    metrics.loopBreaker(rule);
                }
                v = ToolPolicy.Verdict.deny("denied by the loop breaker: this pull request or issue already had the"
                        + " most changes allowed in an hour; stop and give your final answer");
            }
        }
        if (!v.allowed()) {
            record(call, e.server(), e.spec().name(), argsText, v.reason(), "denied", v.reason(), !write, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), v.reason()), false);
        }
        if (write && dryRun) {
            String msg = "not executed (dry run): " + e.server() + "." + e.spec().name() + " would have been called with "
                    + argsText;
            record(call, e.server(), e.spec().name(), argsText, msg, "dry_run", "allowed", false, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), msg), true);
        }
        try {
            ToolResult r = e.source().call(e.spec().name(), args, timeLeft);
            String outcome = r.isError() ? "error" : "ok";
            if (r.isError() && write) {
                writes.decrementAndGet(); // nothing changed
                breaker.giveBack();
            }
            record(call, e.server(), e.spec().name(), argsText, r.text(), outcome, "allowed", !write, start);
            String text = r.isError() ? "error: " + r.text() : r.text();
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), text), write && !r.isError());
        } catch (ToolCallTimeoutException ex) {
            record(call, e.server(), e.spec().name(), argsText, ex.getMessage(), "timeout", "allowed", !write, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), "error: " + ex.getMessage()
                    + "; it may or may not have taken effect"), false);
        } catch (ToolSourceUnavailableException ex) {
            if (write) {
                writes.decrementAndGet();
                breaker.giveBack();
            }
            record(call, e.server(), e.spec().name(), argsText, ex.getMessage(), "unavailable", "allowed", !write, start);
            return new Outcome(new Msg.ToolResult(call.id(), call.name(), "error: " + ex.getMessage()), false);
        } catch (ToolTransientException ex) {
            if (write) {
                writes.decrementAndGet();
                breaker.giveBack();
            }
            record(call, e.server(), e.spec().name(), argsText, ex.getMessage(), "error", "allowed", !write, start);
            throw ex;
        }
    }

    private int policyMax() {
        return policy.maxWrites();
    }

    private void record(Msg.ToolCall call, String server, String tool, String args, String result, String outcome,
            String decision, boolean readOnly, long start) {
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.toolCall(server, tool, outcome, took);
        history.toolCall(runId, new HistoryRecords.ToolCall(call.id(), server, tool, args, result, outcome, decision,
                readOnly, took.toMillis(), clock.instant()));
    }

    private static String toJson(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            return String.valueOf(o);
        }
    }
}
