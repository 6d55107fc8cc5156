package dev.bbagent.fake.bitbucket;

import java.util.Set;

/**
 * A repository webhook subscription.
 *
 * @param uuid the subscription's UUID in braces; sent unbraced as {@code X-Hook-UUID}
 * @param workspace the workspace slug
 * @param repository the repository slug
 * @param url where deliveries are POSTed
 * @param secret the HMAC secret, or null to send unsigned deliveries
 * @param events the subscribed event keys, e.g. {@code pullrequest:created}
 */
public record Hook(String uuid, String workspace, String repository, String url, String secret, Set<String> events) {

    public Hook {
        events = Set.copyOf(events);
        if (secret != null && secret.isEmpty()) {
            secret = null;
        }
    }

    /** True when this hook is subscribed to the event key. */
    public boolean wants(String eventKey) {
        return events.contains(eventKey);
    }
}
