package dev.bbagent.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Durable, deduplicated webhook deliveries. Implementations must make {@link #insert} durable before
 * its future completes, and must tolerate several bbagent processes sharing the store.
 */
public interface DeliveryStore {

    /**
     * Store a delivery unless one with the same id exists.
     *
     * @return a future of true when stored, false when the id was already there (a duplicate)
     */
    CompletableFuture<Boolean> insert(Delivery delivery);

    /** Newest first; {@code repo} null or empty for every repository. */
    List<DeliverySummary> list(String repo, int limit);

    Optional<Delivery> get(String id);

    /** Delete deliveries received before {@code cutoff}; returns how many were deleted. */
    int pruneBefore(Instant cutoff);
}
