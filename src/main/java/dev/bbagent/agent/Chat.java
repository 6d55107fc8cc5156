package dev.bbagent.agent;

import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.agent.llm.LlmException;
import dev.bbagent.agent.llm.Msg;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.Person;
import dev.bbagent.event.Repository;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.mcp.ToolSourceUnavailableException;
import dev.bbagent.mcp.ToolTransientException;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.CompiledRules;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code bbagent chat}: the guide's interactive loop, kept, with bbagent's agent behind it: the same tools,
 * tool policy and limits (from rules.yaml's {@code chat} section), recorded in the repository's history
 * as its own thread ({@code workspace/slug#chat}), whose earlier sessions it remembers.
 */
public final class Chat {

    private static final Set<String> EXIT = Set.of("exit", "quit", "q");

    private final CompiledRules rules;
    private final McpServers servers;
    private final LlmClient llm;
    private final HistoryStore history;
    private final boolean dryRun;
    private final AgentMetrics metrics;
    private final Clock clock;

    public Chat(CompiledRules rules, McpServers servers, LlmClient llm, HistoryStore history, boolean dryRun,
            MeterRegistry registry, Clock clock) {
        this.rules = rules;
        this.servers = servers;
        this.llm = llm;
        this.history = history;
        this.dryRun = dryRun;
        this.metrics = new AgentMetrics(registry);
        this.clock = clock;
    }

    /** Chat until the user types exit, quit or q (or closes the input). Returns the exit code. */
    public int run(String repo, String user, BufferedReader in, PrintWriter out) throws IOException, InterruptedException {
        CompiledRule chat = rules.chat();
        var s = chat.settings();
        int slash = repo.indexOf('/');
        Repository r = new Repository(repo.substring(0, slash), repo.substring(slash + 1), repo, "");
        String thread = repo + "#chat";
        Event event = new Event("chat", "chat", Edition.CLOUD, "chat", r, new Person(user, user, false), null, null,
                null, thread, null);
        ToolPolicy policy = new ToolPolicy(s, event);
        ToolBox box;
        try {
            box = ToolBox.build(rules, s, policy, servers);
        } catch (ToolSourceUnavailableException e) {
            out.println("bbagent: " + e.getMessage());
            return 1;
        }
        try (HistoryStore.Handle handle = history.open(repo)) {
            var h = handle.history();
            long runId = h.startRun(new HistoryRecords.NewRun(null, null, "chat", rules.version(), thread, 1, s.model(),
                    s.api(), "chat session of " + user));
            int recent = h.writesSince(thread, clock.instant().minus(Duration.ofHours(1)));
            var executor = new ToolExecutor(box, policy, h, runId, "chat", dryRun || s.dryRun(),
                    new ToolExecutor.LoopBreaker(s.maxThreadWritesPerHour(), recent), metrics, clock);
            var conv = new Conversation(llm, "chat", s, rules.pricing(), box, executor, h, runId, Map.of("key", "chat"),
                    metrics, clock);
            String instructions = chat.renderInstructions(event.toMap(false));
            conv.add(new Msg.System((instructions.isBlank() ? "You are bbagent, a Bitbucket assistant." : instructions)
                    + " You are chatting with " + user + " about the repository " + repo + "."));
            for (HistoryRecords.MemoryTurn t : h.memory(thread, s.memoryTokens(), runId)) {
                conv.add(new Msg.User(t.prompt()));
                conv.add(new Msg.Assistant(t.answer(), List.of()));
            }
            out.println("bbagent chat on " + repo + " (model " + s.model() + "). I can use: " + toolList(box));
            out.println("Ask about pull requests, files and comments" + (dryRun || s.dryRun() ? " (dry run: changes are"
                    + " only recorded)" : "") + ". Type exit, quit or q to leave.");
            String last = null;
            List<String> asked = new java.util.ArrayList<>();
            String status = "completed";
            String error = null;
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || EXIT.contains(line.trim().toLowerCase())) {
                    break;
                }
                if (line.isBlank()) {
                    continue;
                }
                conv.add(new Msg.User(line));
                asked.add(line);
                try {
                    Conversation.Result res = conv.run();
                    last = res.finalText();
                    out.println(last.isBlank() ? "(no answer)" : last);
                    if (res.partialReason() != null) {
                        out.println("(stopped early: " + res.partialReason() + ")");
                    }
                } catch (LlmException | ToolTransientException e) {
                    out.println("bbagent: " + e.getMessage() + "; try again in a moment");
                    status = "partial";
                    error = e.getMessage();
                }
            }
            var u = conv.usage();
            if (!asked.isEmpty()) {
                h.setPrompt(runId, String.join("\n", asked));
            }
            h.finishRun(runId, new HistoryRecords.RunEnd(status, u.prompt(), u.completion(), u.cached(), conv.cost(), 0,
                    conv.toolCalls(), executor.writes(), last, null, error));
            out.println("bye");
            out.flush();
            return 0;
        }
    }

    private static String toolList(ToolBox box) {
        List<String> names = box.functions().stream().map(f -> f.name()).toList();
        return names.isEmpty() ? "no tools (add some under chat.tools in rules.yaml)" : String.join(", ", names);
    }
}
