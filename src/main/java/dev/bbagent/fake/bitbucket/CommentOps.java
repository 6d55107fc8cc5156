package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.Map;

/**
 * Writing, editing and deleting comments on pull requests and snippets, shared by the REST routes and the
 * seed API. Only a comment's author may edit or delete it. Callers hold the store lock.
 */
final class CommentOps {

    private final Store store;
    private final Events events;

    CommentOps(Store store, Events events) {
        this.store = store;
        this.events = events;
    }

    CommentData add(PullRequestData pr, Account user, String raw, CommentView.Inline inline, Long parentId,
            boolean emit) {
        CommentData c = create(pr.comments, user, raw, inline, parentId);
        ParticipantData p = pr.participant(user);
        p.participatedOn = c.createdOn;
        pr.updatedOn = c.createdOn;
        if (emit) {
            events.comment(Events.COMMENT_CREATED, pr, c, user);
        }
        return c;
    }

    CommentData addToSnippet(SnippetData snippet, Account user, String raw, Long parentId) {
        return create(snippet.comments, user, raw, null, parentId);
    }

    CommentData edit(PullRequestData pr, long id, Account actor, String raw, boolean emit) {
        CommentData c = own(pr.comment(id), actor, "edit");
        requireText(raw);
        c.raw = raw;
        c.updatedOn = store.now();
        if (emit) {
            events.comment(Events.COMMENT_UPDATED, pr, c, actor);
        }
        return c;
    }

    void delete(PullRequestData pr, long id, Account actor, boolean emit) {
        CommentData c = own(pr.comment(id), actor, "delete");
        c.deleted = true;
        c.raw = "";
        c.updatedOn = store.now();
        if (emit) {
            events.comment(Events.COMMENT_DELETED, pr, c, actor);
        }
    }

    private CommentData create(Map<Long, CommentData> comments, Account user, String raw, CommentView.Inline inline,
            Long parentId) {
        requireText(raw);
        if (parentId != null && !comments.containsKey(parentId)) {
            throw ApiError.badField("parent", "Comment " + parentId + " does not exist here.");
        }
        if (inline != null && (negative(inline.from()) || negative(inline.to()))) {
            throw ApiError.badField("inline", "Line numbers must be positive.");
        }
        Instant now = store.now();
        CommentData c = new CommentData(store.nextCommentId(), user, raw, inline, parentId, now);
        comments.put(c.id, c);
        return c;
    }

    private static CommentData own(CommentData c, Account actor, String verb) {
        if (c.deleted) {
            throw ApiError.notFound("Comment " + c.id + " was deleted");
        }
        if (!c.user.uuid().equals(actor.uuid())) {
            throw ApiError.forbidden("You can only " + verb + " your own comments.");
        }
        return c;
    }

    private static boolean negative(Integer line) {
        return line != null && line < 1;
    }

    private static void requireText(String raw) {
        if (raw == null || raw.isBlank()) {
            throw ApiError.badField("content", "This field is required.");
        }
    }
}
