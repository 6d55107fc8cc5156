package dev.bbagent.history;

import java.time.Instant;
import java.util.List;

/** The rows of a repository's history, as the agent writes and the admin API reads them. */
public final class HistoryRecords {

    private HistoryRecords() {}

    /** A run about to start. */
    public record NewRun(Long jobId, String deliveryId, String rule, String ruleVersion, String thread, int attempt,
            String model, String api, String prompt) {}

    /** How a run ended. {@code status}: completed, partial, failed. */
    public record RunEnd(String status, long promptTokens, long completionTokens, long cachedTokens, double costUsd,
            int turns, int toolCalls, int writes, String finalText, String partialReason, String error) {}

    /** One message of a transcript. {@code toolCalls} is JSON ([{id,name,arguments}]) for assistant turns. */
    public record Message(int seq, String role, String content, String toolCalls, String toolCallId, Instant at) {}

    /**
     * One tool call. {@code outcome}: ok, error, denied, timeout, dry_run, unavailable.
     *
     * @param decision the policy's reason when denied, "allowed" otherwise
     */
    public record ToolCall(String callId, String server, String tool, String arguments, String result, String outcome,
            String decision, boolean readOnly, long durationMs, Instant at) {}

    /** A run as listed. */
    public record RunSummary(String repo, long id, Long jobId, String deliveryId, String rule, String thread, int attempt,
            String status, String model, long promptTokens, long completionTokens, long cachedTokens, double costUsd,
            int turns, int toolCalls, int writes, String partialReason, String error, Instant startedAt,
            Instant finishedAt) {}

    /** A run with its whole transcript. */
    public record RunDetail(RunSummary run, String ruleVersion, String prompt, String finalText, List<Message> messages,
            List<ToolCall> toolCalls) {}

    /** One earlier exchange of a thread, for thread memory: what was asked and what the agent answered. */
    public record MemoryTurn(long runId, String rule, String prompt, String answer, Instant at) {}
}
