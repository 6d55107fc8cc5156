package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One webhook event sent to one hook, with every attempt made (at most three: one plus two retries).
 *
 * @param requestUuid the {@code X-Request-UUID}, the same on every attempt
 * @param hookUuid the {@code X-Hook-UUID} (unbraced)
 * @param url where it was POSTed
 * @param eventKey the {@code X-Event-Key}
 * @param body the exact bytes sent, as UTF-8 text
 * @param headers the headers sent on every attempt (names case-insensitive); {@code X-Attempt-Number} varies
 *     and is not among them
 * @param attempts the attempts in order
 */
public record WebhookDelivery(String requestUuid, String hookUuid, String url, String eventKey, String body,
        Map<String, String> headers, List<Attempt> attempts) {

    public WebhookDelivery {
        TreeMap<String, String> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        copy.putAll(headers);
        headers = Collections.unmodifiableMap(copy);
        attempts = List.copyOf(attempts);
    }

    /**
     * One POST of a delivery.
     *
     * @param number the {@code X-Attempt-Number}, from 1
     * @param status the response status, or 0 when there was none
     * @param error {@code TIMEOUT} or {@code NETWORK ERROR: ...} when there was no response, else null
     * @param at when the attempt started
     */
    public record Attempt(int number, int status, String error, Instant at) {

        /** True for a 2xx answer. */
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** Bitbucket retries a 5xx answer or no answer at all; 2xx, 3xx and 4xx are final. */
        boolean retryable() {
            return status == 0 || status >= 500;
        }
    }

    /** True when the last attempt was answered with a 2xx. */
    public boolean delivered() {
        return !attempts.isEmpty() && attempts.getLast().succeeded();
    }

    /** The status of the last attempt (0 when it got no answer). */
    public int finalStatus() {
        return attempts.isEmpty() ? 0 : attempts.getLast().status();
    }

    /** The payload parsed as JSON. */
    public JsonNode json() {
        try {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("webhook body of " + eventKey + " is not JSON", e);
        }
    }
}
