package dev.bbagent.admin;

import dev.bbagent.http.HttpError;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.Job;
import dev.bbagent.store.JobStore;
import dev.bbagent.webhook.Replay;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/** The jobs admin API: list, show, retry, cancel, and replay of a stored delivery. */
public final class JobRoutes {

    private static final Set<String> STATES = Set.of(Job.QUEUED, Job.RUNNING, Job.SUCCEEDED, Job.RETRYING, Job.DEAD,
            Job.SUPERSEDED, Job.CANCELLED);

    private final JobStore jobs;
    private final WorkerPool pool;
    private final Replay replay;
    private final Clock clock;

    public JobRoutes(JobStore jobs, WorkerPool pool, Replay replay, Clock clock) {
        this.jobs = jobs;
        this.pool = pool;
        this.replay = replay;
        this.clock = clock;
    }

    public void install(JavalinConfig cfg) {
        cfg.routes.get("/api/jobs", this::list);
        cfg.routes.get("/api/jobs/{id}", ctx -> ctx.json(job(ctx)));
        cfg.routes.post("/api/jobs/{id}/retry", this::retry);
        cfg.routes.post("/api/jobs/{id}/cancel", this::cancel);
        cfg.routes.post("/api/deliveries/{id}/replay", this::replay);
    }

    private void list(Context ctx) {
        String state = ctx.queryParam("state");
        if (state != null && !state.isEmpty() && !STATES.contains(state)) {
            throw HttpError.badRequest("state must be one of " + STATES + ", not '" + state + "'");
        }
        ctx.json(Map.of("jobs", jobs.jobs(state, ctx.queryParam("repo"), ctx.queryParam("rule"),
                DeliveryRoutes.limit(ctx, 50))));
    }

    private Job job(Context ctx) {
        long id = id(ctx);
        return jobs.job(id).orElseThrow(() -> HttpError.notFound("no job with id " + id));
    }

    private void retry(Context ctx) {
        Job j = job(ctx);
        if (!jobs.retry(j.id(), clock.instant())) {
            throw new HttpError(409, "conflict", "job " + j.id() + " is " + j.state() + "; only dead or cancelled jobs can be retried");
        }
        pool.wake();
        ctx.json(jobs.job(j.id()).orElseThrow());
    }

    private void cancel(Context ctx) {
        Job j = job(ctx);
        if (!jobs.cancel(j.id(), clock.instant())) {
            throw new HttpError(409, "conflict", "job " + j.id() + " is " + j.state() + " and can no longer be cancelled");
        }
        pool.interrupt(j.id());
        ctx.json(jobs.job(j.id()).orElseThrow());
    }

    private void replay(Context ctx) {
        String id = ctx.pathParam("id");
        Replay.Result r = replay.replay(id).orElseThrow(() -> HttpError.notFound("no delivery with id " + id));
        pool.wake();
        ctx.status(202).json(r);
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw HttpError.badRequest("a job id is a number, not '" + ctx.pathParam("id") + "'");
        }
    }
}
