package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Builds webhook payloads shaped like Bitbucket Cloud's ({@code actor}, {@code pullrequest},
 * {@code repository}, and per event {@code comment}, {@code approval} or {@code changes_request}) and hands
 * them to the sender for every hook of the repository subscribed to the event. Called inside the store lock,
 * so the payload shows the state right after the change.
 */
final class Events {

    static final String PR_CREATED = "pullrequest:created";
    static final String PR_UPDATED = "pullrequest:updated";
    static final String PR_APPROVED = "pullrequest:approved";
    static final String PR_UNAPPROVED = "pullrequest:unapproved";
    static final String PR_CHANGES_REQUEST_CREATED = "pullrequest:changes_request_created";
    static final String PR_CHANGES_REQUEST_REMOVED = "pullrequest:changes_request_removed";
    static final String PR_FULFILLED = "pullrequest:fulfilled";
    static final String PR_REJECTED = "pullrequest:rejected";
    static final String COMMENT_CREATED = "pullrequest:comment_created";
    static final String COMMENT_UPDATED = "pullrequest:comment_updated";
    static final String COMMENT_DELETED = "pullrequest:comment_deleted";

    private final Links links;
    private final WebhookSender sender;

    Events(Links links, WebhookSender sender) {
        this.links = links;
        this.sender = sender;
    }

    void pullRequest(String key, PullRequestData pr, Account actor) {
        emit(key, pr.repo, envelope(pr, actor));
    }

    void comment(String key, PullRequestData pr, CommentData comment, Account actor) {
        ObjectNode payload = envelope(pr, actor);
        payload.set("comment", CommentJson.ofPullRequest(pr, comment, links));
        emit(key, pr.repo, payload);
    }

    /** {@code approval} for (un)approvals, {@code changes_request} for change requests. */
    void review(String key, PullRequestData pr, Account actor, Instant date) {
        ObjectNode payload = envelope(pr, actor);
        String field = key.startsWith("pullrequest:changes_request") ? "changes_request" : "approval";
        payload.set(field, PullRequestJson.review(actor, date, links));
        emit(key, pr.repo, payload);
    }

    /** Send a payload as given (e.g. a recorded fixture) to every hook subscribed to the event, in any repository. */
    int raw(Iterable<RepoData> repos, String key, byte[] body) {
        int sent = 0;
        for (RepoData repo : repos) {
            for (Hook hook : repo.hooks) {
                if (hook.wants(key)) {
                    sender.send(hook, key, body);
                    sent++;
                }
            }
        }
        return sent;
    }

    private ObjectNode envelope(PullRequestData pr, Account actor) {
        ObjectNode payload = Json.obj();
        payload.set("actor", AccountJson.of(actor, links));
        payload.set("pullrequest", PullRequestJson.of(pr, links));
        payload.set("repository", RepositoryJson.full(pr.repo, links));
        return payload;
    }

    private void emit(String key, RepoData repo, ObjectNode payload) {
        byte[] body = null;
        for (Hook hook : repo.hooks) {
            if (hook.wants(key)) {
                body = body == null ? Json.bytes(payload) : body;
                sender.send(hook, key, body);
            }
        }
    }
}
