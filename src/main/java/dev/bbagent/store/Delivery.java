package dev.bbagent.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One verified webhook delivery as stored.
 *
 * @param status {@code accepted} (bbagent acts on the event), {@code ignored} (stored, not acted on) or
 *     {@value #SAME_EVENT} (an event already stored under another delivery id: stored, no jobs queued)
 * @param headers request headers worth keeping, with the signature removed
 * @param body the raw body bytes exactly as received
 * @param rules names of the rules the event matched (empty until rules exist or when none matched)
 */
public record Delivery(
        String id,
        String edition,
        String eventKey,
        String kind,
        String repo,
        String thread,
        String status,
        int attempt,
        Instant receivedAt,
        Map<String, String> headers,
        byte[] body,
        List<String> rules) {

    /** The status of a delivery carrying an event already stored with jobs under another delivery id. */
    public static final String SAME_EVENT = "duplicate_event";

    public Delivery {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(eventKey, "eventKey");
        Objects.requireNonNull(receivedAt, "receivedAt");
        kind = kind == null ? "other" : kind;
        repo = repo == null ? "" : repo;
        thread = thread == null ? "" : thread;
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        rules = rules == null ? List.of() : List.copyOf(rules);
    }
}
