package dev.bbagent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.bbagent.store.Job;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code bbagent jobs list|show|retry|cancel}: the job queue, straight from the data folder. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Inspect and manage the job queue in the data folder.",
        subcommands = {JobsCommand.ListJobs.class, JobsCommand.Show.class, JobsCommand.Retry.class, JobsCommand.Cancel.class})
final class JobsCommand extends DataFolderGroup {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
    static final class ListJobs implements Callable<Integer> {
        @ParentCommand
        JobsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--state", description = "queued, running, retrying, succeeded, dead, superseded or cancelled")
        String state;

        @Option(names = "--repo", paramLabel = "WORKSPACE/SLUG")
        String repo;

        @Option(names = "--rule")
        String rule;

        @Option(names = "--limit", defaultValue = "50")
        int limit;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            try (DataFolder data = DataFolder.open(parent.dataDir)) {
                List<Job> jobs = data.jobs.jobs(state, repo, rule, limit);
                PrintWriter out = spec.commandLine().getOut();
                if (json) {
                    out.println(JSON.writeValueAsString(jobs));
                    return 0;
                }
                out.printf("%-7s %-11s %-8s %-24s %-40s %s%n", "ID", "STATE", "ATTEMPT", "RULE", "THREAD", "UPDATED");
                for (Job j : jobs) {
                    out.printf("%-7d %-11s %-8s %-24s %-40s %s%n", j.id(), j.state(), j.attempts() + "/" + j.maxAttempts(),
                            j.rule(), j.thread(), j.updatedAt());
                }
                return 0;
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one job as JSON.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        JobsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() throws Exception {
            try (DataFolder data = DataFolder.open(parent.dataDir)) {
                var job = data.jobs.job(id);
                if (job.isEmpty()) {
                    spec.commandLine().getErr().println("bbagent: no job with id " + id);
                    return 1;
                }
                spec.commandLine().getOut().println(JSON.writeValueAsString(job.get()));
                return 0;
            }
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Send a dead or cancelled job back to the queue.")
    static final class Retry implements Callable<Integer> {
        @ParentCommand
        JobsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            try (DataFolder data = DataFolder.open(parent.dataDir)) {
                return report(spec, data.jobs.retry(id, Instant.now()), id, "queued again", "is not dead or cancelled", data);
            }
        }
    }

    @Command(name = "cancel", mixinStandardHelpOptions = true, description = "Cancel a queued, retrying or running job.")
    static final class Cancel implements Callable<Integer> {
        @ParentCommand
        JobsCommand parent;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "ID")
        long id;

        @Override
        public Integer call() {
            try (DataFolder data = DataFolder.open(parent.dataDir)) {
                return report(spec, data.jobs.cancel(id, Instant.now()), id, "cancelled", "has already finished", data);
            }
        }
    }

    private static int report(picocli.CommandLine.Model.CommandSpec spec, boolean done, long id, String ok, String why,
            DataFolder data) {
        if (done) {
            spec.commandLine().getOut().println("job " + id + " " + ok);
            return 0;
        }
        String state = data.jobs.job(id).map(Job::state).orElse(null);
        spec.commandLine().getErr().println("bbagent: job " + id + (state == null ? " does not exist" : " " + why + " (" + state + ")"));
        return 1;
    }
}
