package dev.bbagent.store;

import java.time.Instant;
import java.util.Objects;

/**
 * What {@link DeliveryStore#insert(Delivery, java.util.List, java.time.Duration)} did with a delivery.
 *
 * @param sameEventAs for {@link Kind#SAME_EVENT}, the delivery that queued the event's jobs; else null
 * @param sameEventAt when that delivery was received; else null
 */
public record Insertion(Kind kind, String sameEventAs, Instant sameEventAt) {

    public enum Kind {
        /** Stored, with its jobs. */
        STORED,
        /** Its delivery id was stored before: nothing new was stored. */
        DUPLICATE,
        /**
         * A new delivery id carrying an event already stored with jobs (the same event key and body, byte for
         * byte): a second webhook on the repository or workspace, or a resend. Stored, with status
         * {@value Delivery#SAME_EVENT} and no jobs.
         */
        SAME_EVENT
    }

    public static final Insertion STORED = new Insertion(Kind.STORED, null, null);
    public static final Insertion DUPLICATE = new Insertion(Kind.DUPLICATE, null, null);

    public Insertion {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.SAME_EVENT) != (sameEventAs != null)) {
            throw new IllegalArgumentException("sameEventAs is set exactly for SAME_EVENT");
        }
    }

    public static Insertion sameEventAs(String earlier, Instant at) {
        return new Insertion(Kind.SAME_EVENT, earlier, Objects.requireNonNull(at, "at"));
    }

    /** A row was written for the delivery (stored, or stored as the same event). */
    public boolean written() {
        return kind != Kind.DUPLICATE;
    }
}
