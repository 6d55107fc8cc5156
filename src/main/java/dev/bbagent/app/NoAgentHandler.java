package dev.bbagent.app;

import dev.bbagent.queue.JobContext;
import dev.bbagent.queue.JobHandler;
import dev.bbagent.queue.JobOutcome;
import java.time.Clock;
import java.time.Duration;

/**
 * Until the agent runtime is wired in, jobs wait in the queue (deferred, attempts untouched) instead of
 * failing, so no accepted work is lost. Replaced by the agent runtime.
 */
final class NoAgentHandler implements JobHandler {

    private final Clock clock;

    NoAgentHandler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public JobOutcome handle(JobContext context) {
        return new JobOutcome.Deferred(clock.instant().plus(Duration.ofMinutes(10)),
                "waiting: this bbagent build has no agent runtime yet");
    }
}
