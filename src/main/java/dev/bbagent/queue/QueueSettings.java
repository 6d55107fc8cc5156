package dev.bbagent.queue;

import java.time.Duration;
import java.util.Objects;

/**
 * How the worker pool runs.
 *
 * @param workers jobs running at once in this process
 * @param maxPerRepo jobs running at once per repository across all processes; 0 for no limit
 * @param lease how long a claimed job is held without renewal before another process may take it over
 * @param poll how often the pool looks for due jobs when nothing wakes it
 * @param instance names this bbagent instance; a restarted process takes back its predecessor's jobs at once
 */
public record QueueSettings(int workers, int maxPerRepo, Duration lease, Duration poll, String instance, Backoff backoff) {

    public QueueSettings {
        if (workers < 1) {
            throw new IllegalArgumentException("BBAGENT_WORKERS must be at least 1, not " + workers);
        }
        if (maxPerRepo < 0) {
            throw new IllegalArgumentException("BBAGENT_MAX_PER_REPO must be 0 (no limit) or more, not " + maxPerRepo);
        }
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(poll, "poll");
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(backoff, "backoff");
    }

    public static QueueSettings defaults(int workers, int maxPerRepo, String instance) {
        return new QueueSettings(workers, maxPerRepo, Duration.ofSeconds(60), Duration.ofMillis(500), instance,
                Backoff.standard());
    }
}
