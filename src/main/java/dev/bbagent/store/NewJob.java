package dev.bbagent.store;

import java.time.Duration;
import java.util.Objects;

/**
 * A job to queue for a matched rule, written in the same transaction as its delivery.
 *
 * @param concurrencyKey runs with the same key never overlap (null: no limit)
 * @param supersedeKey the key a newer job supersedes older queued ones by (the concurrency key, else the thread)
 * @param maxAttempts the rule's retries plus one
 */
public record NewJob(
        String rule,
        String ruleVersion,
        String repo,
        String thread,
        String concurrencyKey,
        String supersedeKey,
        boolean supersede,
        Duration debounce,
        int maxAttempts) {

    public NewJob {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(ruleVersion, "ruleVersion");
        Objects.requireNonNull(supersedeKey, "supersedeKey");
        debounce = debounce == null ? Duration.ZERO : debounce;
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }
}
