package dev.bbagent.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.agent.llm.LlmException;
import dev.bbagent.agent.llm.LlmReply;
import dev.bbagent.agent.llm.LlmRequest;
import dev.bbagent.agent.llm.Msg;
import dev.bbagent.config.RulesFile;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.RepoHistory;
import dev.bbagent.rules.RunSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The agent loop of one run: ask the model, run the tool calls it asks for, send the results back, until
 * it answers without tools. When a limit is hit (turns, time, tokens, budget) the model gets one last
 * turn without tools to wrap up, and the run ends {@code partial} with that answer kept.
 */
final class Conversation {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WRAP_UP_GRACE = Duration.ofSeconds(30);
    private static final Duration MAX_REQUEST = Duration.ofMinutes(2);

    /** How the loop ended. {@code status}: completed or partial. */
    record Result(String status, String finalText, String partialReason, LlmReply.Usage usage, double cost, int turns,
            int toolCalls, int writes) {}

    private final LlmClient llm;
    private final RunSettings settings;
    private final Map<String, RulesFile.Price> pricing;
    private final ToolBox tools;
    private final ToolExecutor executor;
    private final RepoHistory history;
    private final long runId;
    private final AgentMetrics metrics;
    private final Clock clock;
    private final String rule;
    private final Map<String, Object> injected;
    private final List<Msg> messages = new ArrayList<>();
    private int seq;
    private LlmReply.Usage usage = LlmReply.Usage.NONE;
    private double cost;
    private int toolCalls;

    Conversation(LlmClient llm, String rule, RunSettings settings, Map<String, RulesFile.Price> pricing, ToolBox tools,
            ToolExecutor executor, RepoHistory history, long runId, Map<String, Object> injected, AgentMetrics metrics,
            Clock clock) {
        this.llm = llm;
        this.rule = rule;
        this.settings = settings;
        this.pricing = pricing;
        this.tools = tools;
        this.executor = executor;
        this.history = history;
        this.runId = runId;
        this.injected = injected;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Add and record a message that opens the conversation. */
    void add(Msg m) {
        messages.add(m);
        record(m);
    }

    /**
     * @throws LlmException a model request failed beyond the in-run retries (transient or not)
     * @throws dev.bbagent.mcp.ToolTransientException a tool's API is rate limited or down
     */
    Result run() throws InterruptedException {
        return run(System.nanoTime() + settings.timeout().toNanos());
    }

    /**
     * {@link #run()} until {@code deadline} (on {@link System#nanoTime()}) rather than the rule's
     * {@code timeout} from now: the run's time counts from its start, servers' start-up included.
     */
    Result run(long deadline) throws InterruptedException {
        String limit = null;
        int turns = 0;
        while (true) {
            if (turns >= settings.maxTurns()) {
                limit = "max_turns";
            } else if (System.nanoTime() >= deadline) {
                limit = "timeout";
            } else if (usage.total() >= settings.maxTokens()) {
                limit = "max_tokens";
            } else if (settings.perRunUsd() != null && cost >= settings.perRunUsd()) {
                limit = "budget";
            }
            if (limit != null) {
                break;
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            LlmReply reply;
            try {
                reply = ask(tools.functions(), tools.hosted(), min(left, MAX_REQUEST), deadline);
            } catch (LlmException e) {
                if ((e.kind().equals("timeout") || e.kind().equals("deadline")) && System.nanoTime() >= deadline) {
                    limit = "timeout";
                    break;
                }
                throw e;
            }
            turns++;
            Msg.Assistant said = new Msg.Assistant(reply.text(), reply.toolCalls());
            add(said);
            for (Msg.HostedCall h : reply.hostedCalls()) {
                history.toolCall(runId, new HistoryRecords.ToolCall(null, h.server(), h.tool(), h.arguments(),
                        h.error() != null ? h.error() : h.output(), h.error() != null ? "error" : "ok", "hosted",
                        false, 0, clock.instant()));
                metrics.toolCall(h.server(), h.tool(), h.error() != null ? "error" : "ok", Duration.ZERO);
            }
            if (reply.toolCalls().isEmpty()) {
                return new Result("completed", reply.text(), null, usage, cost, turns, toolCalls, executor.writes());
            }
            toolCalls += reply.toolCalls().size();
            for (ToolExecutor.Outcome o : executor.runAll(reply.toolCalls(), injected, deadline)) {
                add(o.result());
            }
        }
        metrics.limitReached(rule, limit);
        return wrapUp(limit, turns);
    }

    /** One last turn without tools; its answer is kept even though the run is partial. */
    private Result wrapUp(String limit, int turns) {
        String why = switch (limit) {
            case "max_turns" -> "the most turns this rule allows (" + settings.maxTurns() + ")";
            case "timeout" -> "the time this rule allows (" + settings.timeout().toSeconds() + " s)";
            case "max_tokens" -> "the token budget of this rule (" + settings.maxTokens() + ")";
            default -> "the spending budget of this run ($" + settings.perRunUsd() + ")";
        };
        add(new Msg.User("You have reached " + why + ". You cannot call tools any more. Give your final answer now:"
                + " what you found and did, and what is left undone."));
        String text;
        try {
            LlmReply reply = ask(List.of(), List.of(), WRAP_UP_GRACE, System.nanoTime() + WRAP_UP_GRACE.toNanos());
            text = reply.text();
            add(new Msg.Assistant(text, List.of()));
            turns++;
        } catch (LlmException e) {
            if (e.isInterrupted()) {
                throw e;
            }
            text = lastAssistantText();
        }
        return new Result("partial", text, limit, usage, cost, turns, toolCalls, executor.writes());
    }

    private LlmReply ask(List<LlmRequest.Function> functions, List<LlmRequest.HostedMcp> hosted, Duration timeout,
            long deadline) {
        LlmRequest req = new LlmRequest(settings.model(), messages, functions, hosted, null, timeout, deadline);
        LlmReply reply = llm.complete(settings.api(), req);
        usage = usage.plus(reply.usage());
        double c = Pricing.cost(pricing, settings.model(), reply.usage());
        cost += c;
        metrics.cost(settings.model(), c);
        return reply;
    }

    private String lastAssistantText() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i) instanceof Msg.Assistant a && !a.text().isEmpty()) {
                return a.text();
            }
        }
        return "";
    }

    LlmReply.Usage usage() {
        return usage;
    }

    double cost() {
        return cost;
    }

    int toolCalls() {
        return toolCalls;
    }

    private void record(Msg m) {
        HistoryRecords.Message row = switch (m) {
            case Msg.System s -> new HistoryRecords.Message(seq++, "system", s.text(), null, null, clock.instant());
            case Msg.User u -> new HistoryRecords.Message(seq++, "user", u.text(), null, null, clock.instant());
            case Msg.Assistant a -> new HistoryRecords.Message(seq++, "assistant", a.text(),
                    a.toolCalls().isEmpty() ? null : json(a.toolCalls()), null, clock.instant());
            case Msg.ToolResult t -> new HistoryRecords.Message(seq++, "tool", t.text(), null, t.callId(), clock.instant());
        };
        history.message(runId, row);
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            return String.valueOf(o);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? a : b;
    }
}
