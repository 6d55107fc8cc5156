package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A pull request with its comments and participants. Mutable; guarded by the {@link Store} monitor. */
final class PullRequestData {

    static final String OPEN = "OPEN";
    static final String MERGED = "MERGED";
    static final String DECLINED = "DECLINED";
    static final String SUPERSEDED = "SUPERSEDED";

    final int id;
    final RepoData repo;
    final Account author;
    final Instant createdOn;
    final Map<String, ParticipantData> participants = new LinkedHashMap<>();
    final Map<Long, CommentData> comments = new LinkedHashMap<>();
    String title;
    String description = "";
    String state = OPEN;
    boolean draft;
    boolean closeSourceBranch;
    String sourceBranch;
    String sourceCommit;
    String destinationBranch;
    String destinationCommit;
    Instant updatedOn;
    Account closedBy;
    String mergeCommit;
    /** A unified diff set by a test, answered instead of the one computed from the commits. */
    String explicitDiff;

    PullRequestData(int id, RepoData repo, Account author, Instant createdOn) {
        this.id = id;
        this.repo = repo;
        this.author = author;
        this.createdOn = createdOn;
        this.updatedOn = createdOn;
    }

    boolean isOpen() {
        return OPEN.equals(state);
    }

    /** The participant entry for an account, created (as a plain participant) when missing. */
    ParticipantData participant(Account user) {
        return participants.computeIfAbsent(user.uuid(), k -> new ParticipantData(user, ParticipantData.PARTICIPANT));
    }

    List<Account> reviewers() {
        List<Account> out = new ArrayList<>();
        participants.values().stream().filter(p -> ParticipantData.REVIEWER.equals(p.role)).forEach(p -> out.add(p.user));
        return out;
    }

    int commentCount() {
        return (int) comments.values().stream().filter(c -> !c.deleted).count();
    }

    CommentData comment(long commentId) {
        CommentData c = comments.get(commentId);
        if (c == null) {
            throw ApiError.notFound("Comment " + commentId + " not found on pull request " + id);
        }
        return c;
    }

    PullRequestView view() {
        List<Account> approved = new ArrayList<>();
        List<Account> changes = new ArrayList<>();
        for (ParticipantData p : participants.values()) {
            if (p.approved()) {
                approved.add(p.user);
            } else if (ParticipantData.CHANGES_REQUESTED.equals(p.state)) {
                changes.add(p.user);
            }
        }
        return new PullRequestView(id, title, description, state, draft, sourceBranch, sourceCommit, destinationBranch,
                destinationCommit, author, reviewers(), approved, changes, commentCount(), createdOn, updatedOn);
    }
}
