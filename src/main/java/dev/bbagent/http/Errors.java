package dev.bbagent.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where exceptions become HTTP responses. Every error body is JSON. */
public final class Errors {

    private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

    private Errors() {}

    public static void install(JavalinConfig cfg) {
        cfg.routes.exception(HttpError.class, (e, ctx) -> respond(ctx, e.status(), e.code(), e.getMessage()));
        cfg.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            respond(ctx, 500, "internal_error", "unexpected error: " + e.getClass().getSimpleName()
                    + "; the details are in bbagent's log");
        });
        cfg.routes.error(404, ctx -> {
            if (ctx.result() == null || ctx.result().isEmpty() || !ctx.result().startsWith("{")) {
                respond(ctx, 404, "not_found", "no route for " + ctx.method() + " " + ctx.path());
            }
        });
        cfg.routes.error(405, ctx -> respond(ctx, 405, "method_not_allowed",
                ctx.method() + " is not allowed on " + ctx.path()));
    }

    public static void respond(Context ctx, int status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        ctx.status(status).json(body);
    }
}
