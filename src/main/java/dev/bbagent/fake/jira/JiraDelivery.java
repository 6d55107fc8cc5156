package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One webhook event sent to one registered webhook, with the status of every attempt (0: no answer).
 *
 * @param identifier the {@code X-Atlassian-Webhook-Identifier}, the same on every attempt
 * @param event the body's {@code webhookEvent}
 * @param headers the headers of the first attempt (names case-insensitive)
 */
public record JiraDelivery(String identifier, String url, String event, String body, Map<String, String> headers,
        List<Integer> statuses) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public JiraDelivery {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
        statuses = List.copyOf(statuses);
    }

    /** The status of the last attempt. */
    public int finalStatus() {
        return statuses.isEmpty() ? 0 : statuses.getLast();
    }

    public JsonNode json() {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
