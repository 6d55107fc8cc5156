package dev.bbagent.admin;

import dev.bbagent.http.HttpError;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Bearer-token check for {@code /api/*}. Without a configured token the admin API does not exist: every
 * route answers 404, so a scanner learns nothing. Refused requests are counted by reason
 * ({@code bbagent_admin_auth_failures_total}) so a brute-force attempt shows on a dashboard.
 */
public final class AdminAuth {

    private final Optional<byte[]> token;
    private final Counter missing;
    private final Counter invalid;
    private final Counter disabled;

    public AdminAuth(Optional<String> token, MeterRegistry registry) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.missing = counter(registry, "missing_token");
        this.invalid = counter(registry, "invalid_token");
        this.disabled = counter(registry, "api_disabled");
    }

    private static Counter counter(MeterRegistry registry, String reason) {
        return Counter.builder("bbagent_admin_auth_failures").description("admin API requests refused, by reason")
                .tag("reason", reason).register(registry);
    }

    public void check(Context ctx) {
        if (token.isEmpty()) {
            disabled.increment();
            throw HttpError.notFound("no route for " + ctx.method() + " " + ctx.path());
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            missing.increment();
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "unauthorized", "send 'Authorization: Bearer <BBAGENT_ADMIN_TOKEN>'");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) {
            invalid.increment();
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new HttpError(401, "unauthorized", "the bearer token does not match BBAGENT_ADMIN_TOKEN");
        }
    }
}
