package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a pull request, for tests to inspect.
 *
 * @param id the id, unique within the repository
 * @param title the title
 * @param description the description (Markdown)
 * @param state {@code OPEN}, {@code MERGED}, {@code DECLINED} or {@code SUPERSEDED}
 * @param draft whether it is a draft
 * @param sourceBranch the branch to merge
 * @param sourceCommit the full hash of the source branch's head when last updated
 * @param destinationBranch the branch to merge into
 * @param destinationCommit the full hash of the destination's head when the pull request was opened
 * @param author who opened it
 * @param reviewers the requested reviewers
 * @param approvedBy who approves it now
 * @param changesRequestedBy who requests changes now
 * @param commentCount the number of comments not deleted
 * @param createdOn when it was opened
 * @param updatedOn when it last changed
 */
public record PullRequestView(int id, String title, String description, String state, boolean draft,
        String sourceBranch, String sourceCommit, String destinationBranch, String destinationCommit, Account author,
        List<Account> reviewers, List<Account> approvedBy, List<Account> changesRequestedBy, int commentCount,
        Instant createdOn, Instant updatedOn) {

    public PullRequestView {
        reviewers = List.copyOf(reviewers);
        approvedBy = List.copyOf(approvedBy);
        changesRequestedBy = List.copyOf(changesRequestedBy);
    }
}
