package dev.bbagent.fake.bitbucket;

import java.time.Instant;

/** A pull-request or snippet comment. Mutable; guarded by the {@link Store} monitor. */
final class CommentData {

    final long id;
    final Account user;
    final Instant createdOn;
    final CommentView.Inline inline;
    final Long parentId;
    String raw;
    Instant updatedOn;
    boolean deleted;

    CommentData(long id, Account user, String raw, CommentView.Inline inline, Long parentId, Instant createdOn) {
        this.id = id;
        this.user = user;
        this.raw = raw;
        this.inline = inline;
        this.parentId = parentId;
        this.createdOn = createdOn;
        this.updatedOn = createdOn;
    }

    CommentView view() {
        return new CommentView(id, raw, user, inline, parentId, deleted, createdOn, updatedOn);
    }
}
