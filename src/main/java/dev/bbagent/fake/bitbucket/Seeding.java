package dev.bbagent.fake.bitbucket;

import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What the seed handles share: the store, the operations, whether seed changes emit webhook events, and the
 * account that authors seeded commits.
 */
record Seeding(Store store, PullRequestOps pullRequests, CommentOps comments, BooleanSupplier emitEvents,
        Account committer) {

    /**
     * Run a seed step under the store lock. A refusal the API would answer (unknown repository, bad input)
     * becomes an {@link IllegalArgumentException} naming it, since the caller is a test, not an HTTP client.
     */
    <T> T run(Supplier<T> step) {
        try {
            return store.locked(step);
        } catch (ApiError e) {
            throw new IllegalArgumentException("fake Bitbucket refused: " + e.status() + " " + e.getMessage(), e);
        }
    }

    void run(Runnable step) {
        run(() -> {
            step.run();
            return null;
        });
    }

    boolean emit() {
        return emitEvents.getAsBoolean();
    }
}
