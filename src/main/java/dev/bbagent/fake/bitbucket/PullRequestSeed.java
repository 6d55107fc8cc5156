package dev.bbagent.fake.bitbucket;

import java.util.List;

/**
 * Acts on one pull request as a person would on bitbucket.org, and reads it back. Obtained from
 * {@link FakeBitbucket#pullRequest(String, String, int)}. Changes emit their webhook events only when
 * {@link FakeBitbucket#emitEventsFromSeeds(boolean)} is on (REST calls always do).
 */
public final class PullRequestSeed {

    private final Seeding seeding;
    private final String workspace;
    private final String repo;
    private final int id;

    PullRequestSeed(Seeding seeding, String workspace, String repo, int id) {
        this.seeding = seeding;
        this.workspace = workspace;
        this.repo = repo;
        this.id = id;
        seeding.run(this::data);
    }

    /** The pull request as it is now. */
    public PullRequestView view() {
        return seeding.run(() -> data().view());
    }

    /** Its comments, oldest first, deleted ones included. */
    public List<CommentView> comments() {
        return seeding.run(() -> data().comments.values().stream().map(CommentData::view).toList());
    }

    /** A general comment. */
    public CommentView comment(Account author, String raw) {
        return add(author, raw, null, null);
    }

    /** An inline comment on a line of the new version of a file ({@code inline.to}). */
    public CommentView inlineComment(Account author, String raw, String path, int line) {
        return add(author, raw, new CommentView.Inline(path, null, line), null);
    }

    /** A reply to another comment ({@code parent.id}). */
    public CommentView reply(Account author, long parentId, String raw) {
        return add(author, raw, null, parentId);
    }

    /** Approve as {@code who} ({@code pullrequest:approved}); replaces a change request by the same account. */
    public PullRequestSeed approve(Account who) {
        return review(who, ParticipantData.APPROVED);
    }

    /** Request changes as {@code who} ({@code pullrequest:changes_request_created}); replaces an approval. */
    public PullRequestSeed requestChanges(Account who) {
        return review(who, ParticipantData.CHANGES_REQUESTED);
    }

    /** Change the title and description ({@code pullrequest:updated}). */
    public PullRequestSeed update(Account who, String title, String description) {
        seeding.run(() -> seeding.pullRequests().update(data(), who,
                new PullRequestOps.Update(title, description, null, null, null), seeding.emit()));
        return this;
    }

    /** Merge it ({@code pullrequest:fulfilled}): a merge commit lands on the destination branch. */
    public PullRequestSeed merge(Account who) {
        seeding.run(() -> seeding.pullRequests().merge(data(), who, null, null, seeding.emit()));
        return this;
    }

    /** Decline it ({@code pullrequest:rejected}). */
    public PullRequestSeed decline(Account who) {
        seeding.run(() -> seeding.pullRequests().decline(data(), who, seeding.emit()));
        return this;
    }

    /**
     * Answer this unified diff (git format, one {@code diff --git} section per file) from {@code /diff} and
     * derive {@code /diffstat} from it, instead of the diff computed from the branches' files.
     */
    public PullRequestSeed setDiff(String unifiedDiff) {
        seeding.run(() -> data().explicitDiff = unifiedDiff);
        return this;
    }

    private CommentView add(Account author, String raw, CommentView.Inline inline, Long parentId) {
        return seeding.run(() -> {
            seeding.store().addAccount(author);
            return seeding.comments().add(data(), author, raw, inline, parentId, seeding.emit()).view();
        });
    }

    private PullRequestSeed review(Account who, String state) {
        seeding.run(() -> {
            seeding.store().addAccount(who);
            seeding.pullRequests().review(data(), who, state, seeding.emit());
        });
        return this;
    }

    private PullRequestData data() {
        return seeding.store().repo(workspace, repo).pullRequest(Integer.toString(id));
    }
}
