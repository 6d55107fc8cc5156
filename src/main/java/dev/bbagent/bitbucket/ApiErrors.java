package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns an error answer into a {@link BitbucketException} whose message says what happened and what to do, and
 * quotes Bitbucket's own {@code error.message} and {@code error.detail}
 * ({@code {"type":"error","error":{"message":...,"detail":...,"fields":{...}}}}).
 */
final class ApiErrors {

    /** What the issue tools answer: Bitbucket removed Issues and their API endpoints (CHANGE-3401). */
    static final String ISSUES_REMOVED = "Bitbucket Cloud removed Issues on 2026-08-20; track issues in Jira";

    private static final int MAX_DETAIL = 600;

    private ApiErrors() {}

    /**
     * @param retryAfter when to try again; asked only for transient answers (429, 5xx)
     */
    static BitbucketException fromResponse(ObjectMapper json, String method, URI uri, int status, byte[] body,
            HttpHeaders headers, Supplier<Duration> retryAfter) {
        String call = method + " " + uri.getRawPath();
        String said = bitbucketSaid(json, body);
        return switch (status) {
            case 400 -> failure(status, "Bitbucket rejected " + call + " (400 Bad Request)" + said);
            case 401 -> failure(status, "Bitbucket refused the credentials for " + call + " (401 Unauthorized): the "
                    + "token is invalid or expired, or this kind of token is not accepted by this endpoint. Check "
                    + BitbucketConfig.ENV_TOKEN + ", or " + BitbucketConfig.ENV_EMAIL + " and "
                    + BitbucketConfig.ENV_API_TOKEN + "." + said);
            case 403 -> failure(status, "Bitbucket denied " + call + " (403 Forbidden): " + missingScope(json, body)
                    + said);
            case 404 -> failure(status, "Not found: " + call + " (404). Check the workspace, repo_slug and ids; "
                    + "Bitbucket also answers 404 for private resources the token cannot see." + said);
            case 409 -> failure(status, "Conflict on " + call + " (409): the resource changed or already exists." + said);
            case 410 -> failure(status, isIssues(uri)
                    ? ISSUES_REMOVED + " (410 Gone from " + call + ")."
                    : "Gone: " + call + " (410); Bitbucket no longer serves this resource." + said);
            case 429 -> {
                Duration wait = retryAfter.get();
                String limit = headers.firstValue("X-RateLimit-Limit").map(l -> ", limit " + l + " requests/hour")
                        .orElse("");
                yield transientFailure(status, "Bitbucket's rate limit is exhausted (429" + limit + ") for " + call
                        + "; try again in " + human(wait) + "." + said, wait);
            }
            default -> {
                if (status >= 500) {
                    Duration wait = retryAfter.get();
                    yield transientFailure(status, "Bitbucket failed with " + status + " on " + call
                            + "; this is usually temporary, try again in " + human(wait) + "." + said, wait);
                }
                yield failure(status, "Bitbucket answered " + status + " to " + call + "." + said);
            }
        };
    }

    /** No answer at all: connection refused or reset, timeout. */
    static BitbucketException unreachable(String method, URI uri, IOException cause, Duration retryAfter) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new BitbucketException(0, "Bitbucket did not answer " + method + " " + uri.getRawPath() + " (" + why
                + "); try again in " + human(retryAfter) + ".", true, retryAfter, cause);
    }

    /** The client's own budget for the credential is spent; nothing was sent. */
    static BitbucketException overBudget(int perHour, Duration retryAfter) {
        return new BitbucketException(0, "bbagent's own limit of " + perHour + " Bitbucket requests per hour for this "
                + "credential is used up; nothing was sent. Try again in " + human(retryAfter) + ".", true, retryAfter,
                null);
    }

    /** A problem with the answer itself (unparseable, too large, a redirect loop, a link to another host). */
    static BitbucketException badAnswer(String method, URI uri, String problem) {
        return new BitbucketException(0, "Bitbucket's answer to " + method + " " + uri.getRawPath()
                + " could not be used: " + problem, false, null, null);
    }

    private static BitbucketException failure(int status, String message) {
        return new BitbucketException(status, message, false, null, null);
    }

    private static BitbucketException transientFailure(int status, String message, Duration retryAfter) {
        return new BitbucketException(status, message, true, retryAfter, null);
    }

    private static boolean isIssues(URI uri) {
        String[] parts = uri.getRawPath().split("/");
        // .../repositories/{workspace}/{repo_slug}/issues[/...]
        for (int i = 0; i + 3 < parts.length; i++) {
            if (parts[i].equals("repositories") && parts[i + 3].equals("issues")) {
                return true;
            }
        }
        return false;
    }

    /** {@code error.detail} of a missing-scope 403 is {@code {"required":[...],"granted":[...]}}. */
    private static String missingScope(ObjectMapper json, byte[] body) {
        JsonNode detail = parse(json, body).path("error").path("detail");
        List<String> required = texts(detail.path("required"));
        if (required.isEmpty()) {
            return "the token lacks the scope or the permission this needs (a read-only token cannot write; "
                    + "deleting a repository needs an admin or delete scope).";
        }
        List<String> granted = texts(detail.path("granted"));
        return "the token lacks the scope " + String.join(", ", required)
                + (granted.isEmpty() ? "" : " (it has " + String.join(", ", granted) + ")")
                + "; create a token with that scope.";
    }

    /** {@code  Bitbucket said: "message": detail; field: problem} or "" when the body says nothing. */
    private static String bitbucketSaid(ObjectMapper json, byte[] body) {
        JsonNode error = parse(json, body).path("error");
        String message = error.path("message").asText("");
        JsonNode detail = error.path("detail");
        String detailText = detail.isTextual() ? detail.asText() : detail.isMissingNode() || detail.isNull() ? "" : detail.toString();
        List<String> fields = new ArrayList<>();
        error.path("fields").properties().forEach(f -> fields.add(f.getKey() + ": " + String.join(" ", texts(f.getValue()))));
        if (message.isBlank() && detailText.isBlank() && fields.isEmpty()) {
            String raw = new String(body, StandardCharsets.UTF_8).strip();
            return raw.isEmpty() || raw.startsWith("<") ? "" : " Bitbucket said: " + clip(raw);
        }
        StringBuilder out = new StringBuilder(" Bitbucket said: \"").append(message).append('"');
        if (!detailText.isBlank()) {
            out.append(": ").append(clip(detailText.strip().replaceAll("\\s*\\n+\\s*", " ")));
        }
        if (!fields.isEmpty()) {
            out.append(" (").append(String.join("; ", fields)).append(')');
        }
        return out.toString();
    }

    private static JsonNode parse(ObjectMapper json, byte[] body) {
        try {
            JsonNode n = json.readTree(body);
            return n == null ? json.missingNode() : n;
        } catch (IOException e) {
            return json.missingNode();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(v -> out.add(v.asText()));
        } else if (array.isTextual()) {
            out.add(array.asText());
        }
        return out;
    }

    private static String clip(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }

    /** {@code 45s}, {@code 3m20s}, {@code 1h0m}. */
    static String human(Duration d) {
        long s = Math.max(1, (d.toMillis() + 999) / 1000);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60) + "m";
    }
}
