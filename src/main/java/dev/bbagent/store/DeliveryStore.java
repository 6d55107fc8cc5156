package dev.bbagent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable, deduplicated webhook deliveries. Implementations must make {@link #insert} durable before
 * its future completes, and must tolerate several bbagent processes sharing the store.
 *
 * <p>Deduplication is twofold. A delivery id stored before stores nothing ({@link Insertion.Kind#DUPLICATE}):
 * Bitbucket's retries. A new delivery id whose event was already stored with jobs, the same event key and body
 * byte for byte, is stored without jobs ({@link Insertion.Kind#SAME_EVENT}): the same event through a second
 * webhook (a repository and a workspace hook, or a hook registered twice) or a resend that got a new id. Only
 * deliveries with jobs are compared, so an event that queued nothing the first time can still queue jobs later.
 */
public interface DeliveryStore {

    /**
     * Store a delivery unless one with the same id exists.
     *
     * @return a future of true when a row was written, false when the id was already there (a duplicate)
     */
    CompletableFuture<Boolean> insert(Delivery delivery);

    /**
     * Store a delivery and, in the same transaction, queue a job per matched rule. A duplicate stores and
     * queues nothing; the same event under a new id is stored without its jobs (see the class comment).
     *
     * @return a future of true when a row was written, false for a duplicate
     */
    CompletableFuture<Boolean> insert(Delivery delivery, List<NewJob> jobs);

    /**
     * {@link #insert(Delivery, List)} for a caller that must answer in time and say what happened: the future
     * fails with {@link StoreTimeoutException} when the delivery is not durable within {@code maxWait}. It may
     * still be stored later, so a retry of it must be answered as a duplicate.
     */
    CompletableFuture<Insertion> insert(Delivery delivery, List<NewJob> jobs, Duration maxWait);

    /**
     * A delivery is on its way to {@link #insert}: the store may hold its open batch for it. Close the
     * arrival once the delivery is submitted, or when it will not be (rejected, failed).
     */
    Arrival expect();

    /** Keep the text of a rules version, so jobs queued with it can run after a restart. */
    void saveRuleVersion(String version, String text);

    /** The text of a rules version, if stored. */
    Optional<String> ruleVersionText(String version);

    /** Newest first; {@code repo} null or empty for every repository. */
    List<DeliverySummary> list(String repo, int limit);

    Optional<Delivery> get(String id);

    /**
     * Delete deliveries received before {@code cutoff} that no job refers to any more (a dead job can be
     * retried, and a retry reads its delivery); returns how many were deleted.
     */
    int pruneBefore(Instant cutoff);
}
