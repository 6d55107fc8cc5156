package dev.bbagent.cli;

import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.Redactor;
import dev.bbagent.history.Runs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bbagent runs list|show}: agent runs and their transcripts from the per-repository history. */
@Command(name = "runs", mixinStandardHelpOptions = true, description = "Agent runs and their transcripts.",
        subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand extends DataFolderGroup {

    HistoryStore open() {
        return new HistoryStore(DataFolder.require(dataDir), Redactor.none(), Clock.systemUTC(), new SimpleMeterRegistry(),
                20_000, Duration.ofMinutes(1));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List runs, newest first.")
    static final class ListRuns implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--repo", paramLabel = "WORKSPACE/SLUG")
        String repo;

        @Option(names = "--rule")
        String rule;

        @Option(names = "--status", description = "running, completed, partial, failed, skipped, interrupted or abandoned")
        String status;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (HistoryStore h = parent.open()) {
                var list = new Runs(h).list(repo, rule, status, limit);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JobsCommand.JSON.writeValueAsString(list));
                    return 0;
                }
                out.printf("%-36s %-11s %-22s %-6s %-7s %-9s %s%n", "RUN", "STATUS", "RULE", "TURNS", "TOOLS", "COST", "STARTED");
                for (HistoryRecords.RunSummary r : list) {
                    out.printf("%-36s %-11s %-22s %-6d %-7d $%-8.4f %s%n", r.repo() + "/" + r.id(), r.status(), r.rule(),
                            r.turns(), r.toolCalls(), r.costUsd(), r.startedAt());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one run's transcript.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        RunsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "RUN", description = "workspace/slug/number, as runs list shows it")
        String ref;

        @Option(names = "--json")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (HistoryStore h = parent.open()) {
                var detail = new Runs(h).get(ref);
                if (detail.isEmpty()) {
                    spec.commandLine().getErr().println("bbagent: no run " + ref);
                    return 1;
                }
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JobsCommand.JSON.writeValueAsString(detail.get()));
                    return 0;
                }
                var d = detail.get();
                var r = d.run();
                out.printf("run %s/%d  rule %s  %s  %d turns, %d tool calls, %d changes, %d+%d tokens, $%.4f%n", r.repo(),
                        r.id(), r.rule(), r.status() + (r.partialReason() == null ? "" : " (" + r.partialReason() + ")"),
                        r.turns(), r.toolCalls(), r.writes(), r.promptTokens(), r.completionTokens(), r.costUsd());
                if (r.error() != null) {
                    out.println("error: " + r.error());
                }
                for (HistoryRecords.Message m : d.messages()) {
                    out.println();
                    out.println("── " + m.role() + (m.toolCallId() == null ? "" : " (" + m.toolCallId() + ")"));
                    if (m.content() != null && !m.content().isEmpty()) {
                        out.println(m.content());
                    }
                    if (m.toolCalls() != null) {
                        out.println("calls: " + m.toolCalls());
                    }
                }
                if (!d.toolCalls().isEmpty()) {
                    out.println();
                    out.println("── tool calls");
                    for (HistoryRecords.ToolCall t : d.toolCalls()) {
                        out.printf("%s.%s %s -> %s (%s, %d ms)%n", t.server(), t.tool(), t.arguments(), t.outcome(),
                                t.decision(), t.durationMs());
                    }
                }
                return 0;
            }
        }
    }
}
