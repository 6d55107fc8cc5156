package dev.bbagent.testing;

import dev.bbagent.event.Edition;
import dev.bbagent.webhook.SignatureVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds the headers Bitbucket sends with a delivery, signed with a secret. */
public final class Deliveries {

    private Deliveries() {}

    public static String[] headers(Edition edition, String eventKey, String deliveryId, String secret, byte[] body) {
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json", "X-Event-Key", eventKey));
        if (edition == Edition.CLOUD) {
            h.addAll(List.of("X-Request-UUID", deliveryId, "X-Hook-UUID", "{" + UUID.nameUUIDFromBytes(eventKey.getBytes()) + "}",
                    "X-Attempt-Number", "1", "User-Agent", "Bitbucket-Webhooks/2.0"));
        } else {
            h.addAll(List.of("X-Request-Id", deliveryId));
        }
        if (secret != null) {
            h.addAll(List.of("X-Hub-Signature", SignatureVerifier.sign(secret, body)));
        }
        return h.toArray(String[]::new);
    }

    /**
     * A fixture's payload as another event of the same kind: real events differ in their timestamps and ids,
     * while the same event under a new delivery id queues no jobs again ({@code duplicate_event}). Adds a
     * top-level field that no parser reads, {@code "bbagent_test_copy": "<tag>"}.
     */
    public static byte[] anotherEvent(byte[] body, String tag) {
        String json = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        int open = json.indexOf('{');
        if (open < 0) {
            throw new IllegalArgumentException("not a JSON object");
        }
        return (json.substring(0, open + 1) + "\"bbagent_test_copy\":\"" + tag + "\","
                + json.substring(open + 1)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
