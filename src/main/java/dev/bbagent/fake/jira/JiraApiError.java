package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * An error answer in Jira's shape: {@code {"errorMessages":[...],"errors":{"field":"problem"}}}, with headers
 * (a 429's {@code Retry-After}).
 */
final class JiraApiError extends RuntimeException {

    private final int status;
    private final ObjectNode body;
    private final Map<String, String> headers;

    JiraApiError(int status, List<String> messages, Map<String, String> fieldErrors, Map<String, String> headers) {
        super(status + " " + messages + " " + fieldErrors);
        this.status = status;
        this.body = JsonNodeFactory.instance.objectNode();
        messages.forEach(body.putArray("errorMessages")::add);
        ObjectNode errors = body.putObject("errors");
        fieldErrors.forEach(errors::put);
        this.headers = Map.copyOf(headers);
    }

    static JiraApiError of(int status, String message) {
        return new JiraApiError(status, List.of(message), Map.of(), Map.of());
    }

    static JiraApiError field(String field, String problem) {
        return new JiraApiError(400, List.of(), Map.of(field, problem), Map.of());
    }

    static JiraApiError issueNotFound() {
        return of(404, "Issue does not exist or you do not have permission to see it.");
    }

    int status() {
        return status;
    }

    ObjectNode body() {
        return body;
    }

    Map<String, String> headers() {
        return headers;
    }
}
