package dev.bbagent.rules;

import java.time.Duration;
import java.util.List;

/**
 * The settings one rule runs with: its own values, else the file's {@code defaults}, else bbagent's
 * built-in defaults ({@link #BUILT_IN}). Immutable.
 */
public record RunSettings(
        String model,
        String api,
        int maxTurns,
        Duration timeout,
        int maxTokens,
        int retries,
        String concurrency,
        boolean supersede,
        Duration debounce,
        String memory,
        int memoryTokens,
        int maxWrites,
        int maxThreadWritesPerHour,
        String scope,
        boolean dryRun,
        Double perRunUsd,
        Double dailyUsd,
        List<String> tools,
        List<String> allowDestructive,
        boolean allowBots) {

    /** bbagent's defaults when neither the rule nor the file's {@code defaults} say otherwise. */
    public static final RunSettings BUILT_IN = new RunSettings("gpt-5-mini", "chat", 12, Duration.ofMinutes(3), 200_000,
            3, "thread", false, Duration.ZERO, "thread", 4_000, 5, 20, "thread", false, null, null, List.of(), List.of(),
            false);

    public RunSettings {
        tools = List.copyOf(tools);
        allowDestructive = List.copyOf(allowDestructive);
    }
}
