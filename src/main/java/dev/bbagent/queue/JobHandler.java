package dev.bbagent.queue;

/**
 * Runs one attempt of a job. The agent runtime is one; tests use their own. A handler reports how the
 * attempt went; an exception it throws is treated as a transient failure and never stops the pool.
 */
@FunctionalInterface
public interface JobHandler {

    JobOutcome handle(JobContext context) throws Exception;
}
