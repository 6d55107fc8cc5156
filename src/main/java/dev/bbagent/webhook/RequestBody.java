package dev.bbagent.webhook;

import dev.bbagent.http.HttpError;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a webhook body with the checks every webhook route shares: content type and size. */
final class RequestBody {

    /** Bitbucket Cloud sends at most 256 KB; 1 MiB leaves room for Data Center and Jira. */
    static final int MAX_BYTES = 1 << 20;

    private RequestBody() {}

    static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!base.equals("application/json")) {
            throw new HttpError(415, "unsupported_media_type",
                    "Content-Type must be application/json (got " + (type == null ? "none" : "'" + type + "'")
                            + "); in the webhook settings choose JSON");
        }
    }

    static byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BYTES) {
            throw tooLarge(declared);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared >= 0) {
                // The usual case (Bitbucket sends Content-Length): one array of the right size, where
                // readNBytes(max) would fill 16 KB chunks and copy them.
                byte[] body = new byte[(int) declared];
                int n = in.readNBytes(body, 0, body.length);
                if (n < body.length) {
                    throw HttpError.badRequest("the body ended after " + n + " of the " + declared
                            + " bytes its Content-Length announced");
                }
                return body;
            }
            byte[] body = in.readNBytes(MAX_BYTES + 1);
            if (body.length > MAX_BYTES) {
                throw tooLarge(body.length);
            }
            return body;
        } catch (IOException e) {
            throw HttpError.badRequest("could not read the request body: " + e.getMessage());
        }
    }

    private static HttpError tooLarge(long size) {
        return new HttpError(413, "too_large", "body of " + size + " bytes is over the limit of " + MAX_BYTES
                + " bytes; Bitbucket itself sends at most 256 KB, so this is not a Bitbucket delivery");
    }
}
