package dev.bbagent.store;

import java.time.Instant;

/**
 * {@code BBAGENT_DELIVERY_RETENTION_DAYS}: finished jobs that finished before the cutoff go first, then the
 * deliveries received before it that no job refers to any more. So a delivery stays as long as a job of
 * it is queued, running, retrying, or finished within the retention period (a dead job can be retried).
 * Both deletes run in small chunks through the writer, so webhook intake never waits long behind them.
 */
public final class Retention {

    /** What one pass deleted. */
    public record Deleted(int deliveries, int jobs) {}

    private final DeliveryStore deliveries;
    private final JobStore jobs;

    public Retention(DeliveryStore deliveries, JobStore jobs) {
        this.deliveries = deliveries;
        this.jobs = jobs;
    }

    public Deleted pruneBefore(Instant cutoff) {
        int j = 0;
        for (int n = jobs.pruneFinishedBefore(cutoff); n > 0; n = jobs.pruneFinishedBefore(cutoff)) {
            j += n;
        }
        return new Deleted(deliveries.pruneBefore(cutoff), j);
    }
}
