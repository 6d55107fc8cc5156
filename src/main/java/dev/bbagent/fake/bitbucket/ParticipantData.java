package dev.bbagent.fake.bitbucket;

import java.time.Instant;

/** A pull request's reviewer or participant. Mutable; guarded by the {@link Store} monitor. */
final class ParticipantData {

    static final String REVIEWER = "REVIEWER";
    static final String PARTICIPANT = "PARTICIPANT";
    static final String APPROVED = "approved";
    static final String CHANGES_REQUESTED = "changes_requested";

    final Account user;
    String role;
    /** {@code approved}, {@code changes_requested}, or null. */
    String state;
    Instant participatedOn;

    ParticipantData(Account user, String role) {
        this.user = user;
        this.role = role;
    }

    boolean approved() {
        return APPROVED.equals(state);
    }
}
