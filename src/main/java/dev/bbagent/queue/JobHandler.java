package dev.bbagent.queue;

import dev.bbagent.store.Job;
import java.time.Instant;

/**
 * Runs one attempt of a job. The agent runtime is one; tests use their own. A handler reports how the
 * attempt went; an exception it throws is treated as a transient failure and never stops the pool.
 */
@FunctionalInterface
public interface JobHandler {

    JobOutcome handle(JobContext context) throws Exception;

    /**
     * A job's attempt was abandoned: the process running it stopped (crash, kill) and its lease was taken
     * back. Close whatever the attempt left open (its run record). Called once per job taken back; an
     * exception is logged and does not stop the recovery.
     *
     * @param job the job as it was when taken back (its attempt number, repository)
     * @param stoppedAbout about when its process stopped: the last lease renewal
     */
    default void abandoned(Job job, Instant stoppedAbout) {}
}
