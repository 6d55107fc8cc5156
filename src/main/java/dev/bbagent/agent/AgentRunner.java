package dev.bbagent.agent;

import dev.bbagent.agent.llm.LlmClient;
import dev.bbagent.agent.llm.LlmException;
import dev.bbagent.agent.llm.Msg;
import dev.bbagent.event.Event;
import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.HistoryStore;
import dev.bbagent.history.RepoHistory;
import dev.bbagent.mcp.McpServers;
import dev.bbagent.mcp.ToolSourceUnavailableException;
import dev.bbagent.mcp.ToolTransientException;
import dev.bbagent.queue.JobContext;
import dev.bbagent.queue.JobHandler;
import dev.bbagent.queue.JobOutcome;
import dev.bbagent.rules.CompiledRule;
import dev.bbagent.rules.CompiledRules;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.rules.RunSettings;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.store.Job;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job handler that runs a matched rule as an LLM agent: loads the rules version the job was matched
 * with and the stored event, checks the repository's daily budget and the thread's loop breaker, builds
 * the conversation (instructions, thread memory, what earlier attempts already did, the prompt), runs it,
 * and records everything in the repository's history.
 */
public final class AgentRunner implements JobHandler {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRunner.class);

    /**
     * @param dryRun every rule runs dry (BBAGENT_DRY_RUN)
     * @param toolTimeout per tool call
     */
    public record Settings(boolean dryRun) {}

    private final RulesRuntime rules;
    private final DeliveryStore deliveries;
    private final Function<Delivery, Event> events;
    private final McpServers servers;
    private final LlmClient llm;
    private final HistoryStore history;
    private final Settings settings;
    private final AgentMetrics metrics;
    private final Clock clock;

    public AgentRunner(RulesRuntime rules, DeliveryStore deliveries, Function<Delivery, Event> events, McpServers servers,
            LlmClient llm, HistoryStore history, Settings settings, MeterRegistry registry, Clock clock) {
        this.rules = rules;
        this.deliveries = deliveries;
        this.events = events;
        this.servers = servers;
        this.llm = llm;
        this.history = history;
        this.settings = settings;
        this.metrics = new AgentMetrics(registry);
        this.clock = clock;
        rules.current().rules().forEach(r -> metrics.rule(r.name()));
        rules.onChange(c -> c.rules().forEach(r -> metrics.rule(r.name())));
    }

    @Override
    public JobOutcome handle(JobContext ctx) throws InterruptedException {
        Job job = ctx.job();
        Optional<CompiledRules> version = rules.version(job.ruleVersion());
        if (version.isEmpty()) {
            return JobOutcome.permanentFailure("rules version " + job.ruleVersion() + " is no longer known; replay the"
                    + " delivery to match it against the current rules");
        }
        Optional<CompiledRule> rule = version.get().rule(job.rule());
        if (rule.isEmpty()) {
            return JobOutcome.permanentFailure("rule " + job.rule() + " is not in rules version " + job.ruleVersion());
        }
        Optional<Delivery> delivery = deliveries.get(job.deliveryId());
        if (delivery.isEmpty()) {
            return JobOutcome.permanentFailure("delivery " + job.deliveryId() + " is no longer stored");
        }
        Event event = events.apply(delivery.get());
        try (HistoryStore.Handle h = history.open(job.repo())) {
            return run(ctx, version.get(), rule.get(), event, h.history());
        }
    }

    /** The process running this attempt stopped (crash, kill): its run record must not stay {@code running}. */
    @Override
    public void abandoned(Job job, Instant stoppedAbout) {
        if (!history.fileOf(job.repo()).toFile().exists()) {
            return;
        }
        try (HistoryStore.Handle h = history.open(job.repo())) {
            int closed = h.history().abandonRuns(job.id(), job.attempts(), stoppedAbout,
                    "the process running it stopped (crash or kill) at about " + stoppedAbout
                            + "; the job was taken back by the queue");
            if (closed > 0) {
                LOG.info("job {} ({}): closed the run of its abandoned attempt {} as abandoned", job.id(), job.rule(),
                        job.attempts());
            }
        }
    }

    private JobOutcome run(JobContext ctx, CompiledRules version, CompiledRule rule, Event event, RepoHistory h)
            throws InterruptedException {
        Job job = ctx.job();
        RunSettings s = rule.settings();
        Instant now = clock.instant();
        if (s.dailyUsd() != null) {
            Instant day = now.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).toInstant();
            double spent = h.costSince(day);
            if (spent >= s.dailyUsd()) {
                metrics.budgetDeferred(rule.name());
                LOG.warn("job {} ({}, {}): the daily budget of ${} for {} is spent (${}); deferred to the next UTC day",
                        job.id(), rule.name(), job.thread(), s.dailyUsd(), job.repo(), String.format("%.4f", spent));
                return new JobOutcome.Deferred(day.plus(Duration.ofDays(1)), "daily budget of $" + s.dailyUsd() + " for "
                        + job.repo() + " spent; waiting for the next UTC day");
            }
        }
        int recentWrites = h.writesSince(job.thread(), now.minus(Duration.ofHours(1)));
        if (recentWrites >= s.maxThreadWritesPerHour()) {
            metrics.loopBreaker(rule.name());
            metrics.run(rule.name(), "skipped", Duration.ZERO);
            String why = "loop breaker: " + recentWrites + " changes on " + job.thread() + " in the last hour (limit "
                    + s.maxThreadWritesPerHour() + "); the rule is paused for this thread";
            LOG.warn("job {} ({}): {}", job.id(), rule.name(), why);
            long runId = h.startRun(newRun(job, rule, s, "(not run)"));
            h.finishRun(runId, new HistoryRecords.RunEnd("skipped", 0, 0, 0, 0, 0, 0, 0, null, null, why));
            return JobOutcome.success("skipped: " + why);
        }

        Map<String, Object> view = event.toMap(true);
        String prompt = rule.renderPrompt(view);
        // Only one attempt of a job runs at a time: a run of it still "running" was left by a process that
        // stopped before it could record the end (normally closed when the job was taken back).
        h.abandonRuns(job.id(), Integer.MAX_VALUE, now, "bbagent stopped during the run before recording how it"
                + " ended; a later attempt started at " + now);
        long runId = h.startRun(newRun(job, rule, s, prompt));
        long started = System.nanoTime();
        long deadline = started + s.timeout().toNanos(); // the rule's timeout bounds connecting to its servers too
        Conversation conv = null;
        try {
            ToolPolicy policy = new ToolPolicy(s, event);
            boolean dryRun = settings.dryRun() || s.dryRun();
            ToolBox box;
            try {
                box = ToolBox.build(version, s, policy, servers, deadline);
            } catch (ToolSourceUnavailableException e) {
                return fail(h, runId, rule, job, started, e.getMessage(), true, null);
            }
            var breaker = new ToolExecutor.LoopBreaker(s.maxThreadWritesPerHour(), recentWrites);
            ToolExecutor executor = new ToolExecutor(box, policy, h, runId, rule.name(), dryRun, breaker, metrics, clock);
            conv = new Conversation(llm, rule.name(), s, version.pricing(), box, executor, h, runId,
                    Map.of("key", rule.name()), metrics, clock);

            String instructions = rule.renderInstructions(view);
            if (!instructions.isBlank()) {
                conv.add(new Msg.System(instructions + (dryRun ? "\n\nThis is a dry run: changes are recorded, not made." : "")));
            }
            if (s.memory().equals("thread")) {
                for (HistoryRecords.MemoryTurn t : h.memory(job.thread(), s.memoryTokens(), runId)) {
                    conv.add(new Msg.User(t.prompt()));
                    conv.add(new Msg.Assistant(t.answer(), java.util.List.of()));
                }
            }
            conv.add(new Msg.User(prompt));
            if (job.attempts() > 1) {
                String done = EarlierWrites.note(h.earlierWrites(job.id()), job.attempts());
                if (done != null) {
                    conv.add(new Msg.User(done));
                }
            }
            try {
                Conversation.Result r = conv.run(deadline);
                h.finishRun(runId, new HistoryRecords.RunEnd(r.status(), r.usage().prompt(), r.usage().completion(),
                        r.usage().cached(), r.cost(), r.turns(), r.toolCalls(), r.writes(), r.finalText(), r.partialReason(),
                        null));
                metrics.run(rule.name(), r.status(), Duration.ofNanos(System.nanoTime() - started));
                return JobOutcome.success(r.status() + (r.partialReason() == null ? "" : " (" + r.partialReason() + ")")
                        + ", " + r.turns() + " turns, " + r.toolCalls() + " tool calls, " + r.writes() + " changes"
                        + (dryRun ? " (dry run)" : ""));
            } catch (LlmException e) {
                if (stopped(ctx, e)) {
                    throw e; // recorded below as interrupted, not as a model failure
                }
                return fail(h, runId, rule, job, started, e.getMessage(), e.isTransient(), e.retryAfter().orElse(null),
                        conv);
            } catch (ToolTransientException e) {
                if (stopped(ctx, e)) {
                    throw e;
                }
                return fail(h, runId, rule, job, started, e.getMessage(), true, e.retryAfter().orElse(null), conv);
            }
        } catch (InterruptedException | RuntimeException e) {
            if (!stopped(ctx, e)) {
                throw e;
            }
            interrupted(h, runId, rule, job, started, ctx.whyStopped(), conv);
            Thread.currentThread().interrupt();
            InterruptedException stop = new InterruptedException(ctx.whyStopped());
            stop.initCause(e);
            throw stop;
        }
    }

    /**
     * Whether a failure is the pool stopping the run (shutdown released the job, or an administrator
     * cancelled it) rather than the run failing: the stop was requested, the thread was interrupted, or the
     * failure comes from an interruption (an interrupted model request, an interrupted history write).
     */
    private static boolean stopped(JobContext ctx, Throwable e) {
        if (ctx.shouldStop()) {
            return true;
        }
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof InterruptedException || c instanceof LlmException le && le.isInterrupted()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Record a run the pool stopped as {@code interrupted} with why, if the history can still be written (the
     * thread's interrupt is set aside for the write and restored). Not a failure of the model or the rule.
     */
    private void interrupted(RepoHistory h, long runId, CompiledRule rule, Job job, long started, String why,
            Conversation conv) {
        boolean flag = Thread.interrupted();
        try {
            var u = conv == null ? dev.bbagent.agent.llm.LlmReply.Usage.NONE : conv.usage();
            h.finishRun(runId, new HistoryRecords.RunEnd("interrupted", u.prompt(), u.completion(), u.cached(),
                    conv == null ? 0 : conv.cost(), 0, conv == null ? 0 : conv.toolCalls(), 0, null, null, why));
            metrics.run(rule.name(), "interrupted", Duration.ofNanos(System.nanoTime() - started));
            LOG.info("job {} ({}, {}) attempt {}: run {} interrupted: {}", job.id(), rule.name(), job.thread(),
                    job.attempts(), runId, why);
        } catch (RuntimeException e) {
            LOG.info("job {} ({}): run {} was interrupted ({}) and its end could not be recorded: {}", job.id(),
                    rule.name(), runId, why, e.getMessage());
        } finally {
            if (flag) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private JobOutcome fail(RepoHistory h, long runId, CompiledRule rule, Job job, long started, String error,
            boolean transientFailure, Duration retryAfter) {
        return fail(h, runId, rule, job, started, error, transientFailure, retryAfter, null);
    }

    private JobOutcome fail(RepoHistory h, long runId, CompiledRule rule, Job job, long started, String error,
            boolean transientFailure, Duration retryAfter, Conversation conv) {
        var u = conv == null ? dev.bbagent.agent.llm.LlmReply.Usage.NONE : conv.usage();
        h.finishRun(runId, new HistoryRecords.RunEnd("failed", u.prompt(), u.completion(), u.cached(),
                conv == null ? 0 : conv.cost(), 0, conv == null ? 0 : conv.toolCalls(), 0, null, null, error));
        metrics.run(rule.name(), "failed", Duration.ofNanos(System.nanoTime() - started));
        // The queue logs what happens next (retry at a time, or dead): only it knows the backoff and what is left.
        LOG.info("job {} ({}, {}) attempt {} of {}: the run failed ({}): {}", job.id(), rule.name(), job.thread(),
                job.attempts(), job.maxAttempts(), transientFailure ? "transient" : "permanent", error);
        return transientFailure ? JobOutcome.transientFailure(error, retryAfter) : JobOutcome.permanentFailure(error);
    }

    private static HistoryRecords.NewRun newRun(Job job, CompiledRule rule, RunSettings s, String prompt) {
        return new HistoryRecords.NewRun(job.id(), job.deliveryId(), rule.name(), job.ruleVersion(), job.thread(),
                job.attempts(), s.model(), s.api(), prompt);
    }
}
