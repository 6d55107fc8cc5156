package dev.bbagent.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.event.EventKinds;
import java.util.Map;
import java.util.function.Function;

/** Turns a Bitbucket delivery (headers and parsed body) into the normalized {@link Event}. */
public final class BitbucketEvents {

    private BitbucketEvents() {}

    /**
     * Which edition sent the request. Cloud sends {@code X-Request-UUID}, {@code X-Hook-UUID} and
     * {@code X-Attempt-Number}; Data Center sends {@code X-Request-Id} and repeats the key in the body as
     * {@code eventKey}. When neither tells, the event key's catalog decides; Cloud is the last resort.
     *
     * @param header a case-insensitive header lookup
     * @param body the parsed body, or null when not parsed yet
     */
    public static Edition detectEdition(Function<String, String> header, String eventKey, JsonNode body) {
        if (present(header.apply("X-Request-UUID")) || present(header.apply("X-Hook-UUID"))
                || present(header.apply("X-Attempt-Number"))) {
            return Edition.CLOUD;
        }
        if (present(header.apply("X-Request-Id")) || (body != null && body.hasNonNull("eventKey"))) {
            return Edition.DATACENTER;
        }
        Edition byKey = eventKey == null ? null : EventKinds.editionOfKey(eventKey);
        return byKey == Edition.DATACENTER ? Edition.DATACENTER : Edition.CLOUD;
    }

    /** The delivery id Bitbucket sent, or null when it sent none. */
    public static String deliveryId(Edition edition, Function<String, String> header) {
        String id = edition == Edition.DATACENTER ? header.apply("X-Request-Id") : header.apply("X-Request-UUID");
        return present(id) ? id.trim() : null;
    }

    /**
     * Parse a body into an event.
     *
     * @throws MalformedPayloadException when the body lacks what its event key promises
     */
    public static Event parse(Edition edition, String eventKey, String deliveryId, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new MalformedPayloadException("the body must be a JSON object");
        }
        Event event = switch (edition) {
            case CLOUD -> CloudParser.parse(eventKey, body);
            case DATACENTER -> DataCenterParser.parse(eventKey, body);
            case JIRA -> throw new IllegalArgumentException("Jira events are not Bitbucket events");
        };
        return event.withDelivery(deliveryId);
    }

    /** Parse with headers given as a map (the CLI's {@code explain}, tests). */
    public static Event parse(String eventKey, Map<String, String> headers, JsonNode body) {
        Function<String, String> h = name -> headers.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst().orElse(null);
        Edition edition = detectEdition(h, eventKey, body);
        String id = deliveryId(edition, h);
        return parse(edition, eventKey, id == null ? "" : id, body);
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
