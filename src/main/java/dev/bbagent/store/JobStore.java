package dev.bbagent.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable job queue. Every state change is a conditional update, so several bbagent processes can
 * share one store: a job is claimed by exactly one of them, a completion from a worker that lost its
 * lease changes nothing. The SQL is portable (a PostgreSQL store adds {@code FOR UPDATE SKIP LOCKED}).
 */
public interface JobStore {

    /** A job ready to run: the head of its concurrency key's queue, no job of that key running. */
    record Candidate(long id, String repo, String rule, Instant notBefore, Instant createdAt) {}

    /**
     * Ready jobs, at most {@code perRepo} per repository, interleaved across repositories (each
     * repository's oldest first, then each one's second...), so one busy repository cannot starve others.
     */
    List<Candidate> candidates(Instant now, int limit, int perRepo);

    /** Running jobs per repository (for fairness and the per-repository limit). */
    Map<String, Integer> runningByRepo();

    /** Claim jobs for an owner: each becomes running with a lease, unless another claimed it first. */
    List<Job> claim(List<Long> ids, String owner, Instant now, Duration lease);

    /** Extend the leases of every job an owner runs. */
    void renewLeases(String owner, Instant expires);

    /**
     * Jobs whose lease expired (their process died) go back to the queue with the attempt counted, or to
     * dead when that was their last attempt.
     *
     * @return the jobs taken back, as they were (lease owner and expiry, attempt)
     */
    List<Job> recoverExpired(Instant now);

    /**
     * Take back, at once, jobs held by earlier processes of the same instance (a restart after a crash or
     * kill), except {@code owner}'s: the same as an expired lease, attempt counted.
     *
     * @return the jobs taken back, as they were
     */
    List<Job> recoverOwnedBy(String ownerPrefix, String owner, Instant now);

    /** The job ran to success. False when the owner no longer holds it (lease lost, cancelled). */
    boolean succeed(long id, String owner, Instant now, String result);

    /** The attempt failed transiently: retry at {@code notBefore}, or dead when no attempts remain. */
    boolean fail(long id, String owner, Instant now, String error, Instant retryAt, boolean permanent);

    /** Put the job back without counting the attempt, not before {@code until} (budget, shutdown). */
    boolean defer(long id, String owner, Instant now, Instant until, String reason);

    Optional<Job> job(long id);

    /** Newest first; null filters are ignored. */
    List<Job> jobs(String state, String repo, String rule, int limit);

    /** Jobs of one delivery, oldest first. */
    List<Job> jobsOfDelivery(String deliveryId);

    /** Cancel a queued, retrying or running job. False when it already finished. */
    boolean cancel(long id, Instant now);

    /** Send a dead or cancelled job back to the queue with fresh attempts. False otherwise. */
    boolean retry(long id, Instant now);

    /** Queue new jobs for a stored delivery (replay). */
    List<Long> enqueue(String deliveryId, List<NewJob> jobs, Instant now);

    /** Jobs by state, every state. */
    Map<String, Integer> countsByState();

    /** How many jobs are queued, running, retrying and dead: the gauges' states only, cheap on a long history. */
    Map<String, Integer> gaugeCounts();

    /** Delete finished jobs that finished before the cutoff; returns how many. */
    int pruneFinishedBefore(Instant cutoff);
}
