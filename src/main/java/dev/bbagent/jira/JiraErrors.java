package dev.bbagent.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Turns a Jira error answer into a {@link JiraException} that quotes Jira's own words: its error body is
 * {@code {"errorMessages":["..."],"errors":{"field":"problem"}}}.
 */
final class JiraErrors {

    private static final int MAX_DETAIL = 600;

    private JiraErrors() {}

    static JiraException fromResponse(ObjectMapper json, String method, URI uri, int status, byte[] body,
            Supplier<Duration> retryAfter) {
        String call = method + " " + uri.getRawPath();
        String said = jiraSaid(json, body);
        return switch (status) {
            case 400 -> failure(status, "Jira rejected " + call + " (400 Bad Request)" + said);
            case 401 -> failure(status, "Jira refused the credentials for " + call + " (401 Unauthorized): check "
                    + JiraConfig.ENV_EMAIL + " and " + JiraConfig.ENV_API_TOKEN + " (the token may be revoked or "
                    + "expired)." + said);
            case 403 -> failure(status, "Jira denied " + call + " (403 Forbidden): the account lacks the project "
                    + "permission this needs (browse, add comments, edit or transition issues)." + said);
            case 404 -> failure(status, "Not found: " + call + " (404). Check the issue key or project key; Jira also "
                    + "answers 404 for issues the account cannot see." + said);
            case 409 -> failure(status, "Conflict on " + call + " (409)." + said);
            case 429 -> {
                Duration wait = retryAfter.get();
                yield new JiraException(status, "Jira's rate limit is exhausted (429) for " + call + "; try again in "
                        + human(wait) + "." + said, true, wait, null);
            }
            default -> {
                if (status >= 500) {
                    Duration wait = retryAfter.get();
                    yield new JiraException(status, "Jira failed with " + status + " on " + call
                            + "; this is usually temporary, try again in " + human(wait) + "." + said, true, wait, null);
                }
                yield failure(status, "Jira answered " + status + " to " + call + "." + said);
            }
        };
    }

    static JiraException unreachable(String method, URI uri, IOException cause, Duration retryAfter) {
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new JiraException(0, "Jira did not answer " + method + " " + uri.getRawPath() + " (" + why
                + "); try again in " + human(retryAfter) + ".", true, retryAfter, cause);
    }

    static JiraException overBudget(int perMinute, Duration retryAfter) {
        return new JiraException(0, "bbagent's own limit of " + perMinute + " Jira requests per minute is used up; "
                + "nothing was sent. Try again in " + human(retryAfter) + ".", true, retryAfter, null);
    }

    static JiraException badAnswer(String method, URI uri, String problem) {
        return new JiraException(0, "Jira's answer to " + method + " " + uri.getRawPath() + " could not be used: "
                + problem, false, null, null);
    }

    private static JiraException failure(int status, String message) {
        return new JiraException(status, message, false, null, null);
    }

    /** {@code  Jira said: "message"; field: problem}, or "" when the body says nothing. */
    static String jiraSaid(ObjectMapper json, byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            root = null;
        }
        List<String> parts = new ArrayList<>();
        if (root != null) {
            root.path("errorMessages").forEach(m -> parts.add(m.asText()));
            root.path("errors").properties().forEach(f -> parts.add(f.getKey() + ": " + f.getValue().asText()));
            if (root.hasNonNull("message") && parts.isEmpty()) {
                parts.add(root.get("message").asText());
            }
        }
        if (parts.isEmpty()) {
            String raw = new String(body, StandardCharsets.UTF_8).strip();
            return raw.isEmpty() || raw.startsWith("<") || raw.startsWith("{") ? "" : " Jira said: " + clip(raw);
        }
        return " Jira said: " + clip(String.join("; ", parts));
    }

    private static String clip(String s) {
        return s.length() <= MAX_DETAIL ? s : s.substring(0, MAX_DETAIL) + "...";
    }

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
