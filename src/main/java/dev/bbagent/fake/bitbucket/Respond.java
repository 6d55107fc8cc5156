package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes JSON answers, and maps every error to Bitbucket's error body in one place. */
final class Respond {

    private static final Logger LOG = LoggerFactory.getLogger(Respond.class);
    private static final String JSON = "application/json; charset=utf-8";

    private Respond() {}

    static void install(JavalinConfig cfg) {
        cfg.routes.exception(ApiError.class, (e, ctx) -> error(ctx, e));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("fake Bitbucket: {} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, new ApiError(500, "Internal Server Error: " + e));
        });
        cfg.routes.error(404, ctx -> {
            String type = ctx.res().getContentType();
            if (type == null || !type.startsWith("application/json")) {
                error(ctx, ApiError.noRoute());
            }
        });
    }

    static void json(Context ctx, int status, JsonNode body) {
        ctx.status(status).contentType(JSON).result(Json.bytes(body));
    }

    static void error(Context ctx, ApiError e) {
        e.headers().forEach(ctx::header);
        json(ctx, e.status(), e.body());
    }
}
