package dev.bbagent.admin;

import dev.bbagent.http.HttpError;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Bearer-token check for {@code /api/*}. Without a configured token the admin API does not exist: every
 * route answers 404, so a scanner learns nothing.
 */
public final class AdminAuth {

    private final Optional<byte[]> token;

    public AdminAuth(Optional<String> token) {
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public void check(Context ctx) {
        if (token.isEmpty()) {
            throw HttpError.notFound("no route for " + ctx.method() + " " + ctx.path());
        }
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpError(401, "unauthorized", "send 'Authorization: Bearer <BBAGENT_ADMIN_TOKEN>'");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token.get())) {
            ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            throw new HttpError(401, "unauthorized", "the bearer token does not match BBAGENT_ADMIN_TOKEN");
        }
    }
}
