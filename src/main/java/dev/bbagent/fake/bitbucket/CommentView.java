package dev.bbagent.fake.bitbucket;

import java.time.Instant;

/**
 * A snapshot of a pull-request or snippet comment, for tests to inspect.
 *
 * @param id the comment id
 * @param raw the Markdown source ({@code content.raw}); empty once deleted
 * @param user the author
 * @param inline where an inline comment is anchored, or null for a general comment
 * @param parentId the comment this one replies to, or null
 * @param deleted whether the comment was deleted (Bitbucket keeps deleted comments in listings)
 * @param createdOn when it was written
 * @param updatedOn when it was last changed
 */
public record CommentView(long id, String raw, Account user, Inline inline, Long parentId, boolean deleted,
        Instant createdOn, Instant updatedOn) {

    /**
     * The anchor of an inline comment: {@code to} is a line of the new file, {@code from} a line of the old
     * file; either may be null.
     *
     * @param path the file path
     * @param from the line in the old version, or null
     * @param to the line in the new version, or null
     */
    public record Inline(String path, Integer from, Integer to) {
        public Inline {
            if (path == null || path.isBlank()) {
                throw new IllegalArgumentException("an inline comment needs a path");
            }
        }
    }

    /** True when this comment replies to another. */
    public boolean isReply() {
        return parentId != null;
    }
}
