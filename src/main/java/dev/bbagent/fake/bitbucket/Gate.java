package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Map;

/**
 * Runs before every {@code /2.0} route: records the request, answers an injected failure if one is queued,
 * authenticates (401), counts the request against the credential's budget (429) and refuses writes to
 * read-only credentials (403, Bitbucket's missing-scope error).
 */
final class Gate implements Handler {

    private static final String[] READ_SCOPES = {"read:account", "read:workspace:bitbucket",
        "read:repository:bitbucket", "read:pullrequest:bitbucket", "read:snippet:bitbucket"};

    private final RequestLog log;
    private final Faults faults;
    private final Credentials credentials;
    private final RateLimiter rateLimiter;

    Gate(RequestLog log, Faults faults, Credentials credentials, RateLimiter rateLimiter) {
        this.log = log;
        this.faults = faults;
        this.credentials = credentials;
        this.rateLimiter = rateLimiter;
    }

    @Override
    public void handle(Context ctx) {
        log.record(ctx);
        ApiError injected = faults.take(rateLimiter.limit());
        if (injected != null) {
            throw injected;
        }
        Credentials.Credential credential = credentials.authenticate(ctx.header("Authorization"));
        Map<String, String> headers = rateLimiter.admit(credential, ctx.path());
        headers.forEach(ctx::header);
        if (credential.permission() == Permission.READ && isWrite(ctx.method())) {
            throw missingScope(ctx.method(), ctx.path()).withHeaders(headers);
        }
        Caller.set(ctx, credential.account());
    }

    private static boolean isWrite(HandlerType method) {
        return method != HandlerType.GET && method != HandlerType.HEAD && method != HandlerType.OPTIONS;
    }

    private static ApiError missingScope(HandlerType method, String path) {
        ObjectNode detail = Json.obj();
        ArrayNode granted = detail.putArray("granted");
        for (String scope : READ_SCOPES) {
            granted.add(scope);
        }
        detail.set("required", Json.arr().add(requiredScope(method, path)));
        return new ApiError(403, "Your credentials lack one or more required privilege scopes.", detail, null, Map.of());
    }

    private static String requiredScope(HandlerType method, String path) {
        if (path.contains("/pullrequests")) {
            return "write:pullrequest:bitbucket";
        }
        if (path.startsWith("/2.0/snippets")) {
            return "write:snippet:bitbucket";
        }
        boolean repositoryItself = path.matches("/2\\.0/repositories/[^/]+/[^/]+/?");
        if (repositoryItself) {
            return method == HandlerType.DELETE ? "delete:repository:bitbucket" : "admin:repository:bitbucket";
        }
        return "write:repository:bitbucket";
    }
}
