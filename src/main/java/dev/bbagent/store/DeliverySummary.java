package dev.bbagent.store;

import java.time.Instant;
import java.util.List;

/** A stored delivery without its body, for listings. */
public record DeliverySummary(
        String id,
        String edition,
        String eventKey,
        String kind,
        String repo,
        String thread,
        String status,
        int attempt,
        Instant receivedAt,
        int payloadBytes,
        List<String> rules) {}
