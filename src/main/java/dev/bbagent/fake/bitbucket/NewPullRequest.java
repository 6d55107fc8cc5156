package dev.bbagent.fake.bitbucket;

import java.util.List;

/**
 * What to open a pull request with through the seed API:
 * {@code NewPullRequest.of("Add search", "feature/search", "main").withDescription("...").withDraft(true)}.
 *
 * @param title the title
 * @param description the description (Markdown), "" for none
 * @param sourceBranch the branch to merge
 * @param destinationBranch the branch to merge into, or null for the repository's main branch
 * @param draft whether it is a draft
 * @param reviewers the requested reviewers
 * @param closeSourceBranch whether merging deletes the source branch
 */
public record NewPullRequest(String title, String description, String sourceBranch, String destinationBranch,
        boolean draft, List<Account> reviewers, boolean closeSourceBranch) {

    public NewPullRequest {
        description = description == null ? "" : description;
        reviewers = List.copyOf(reviewers);
    }

    /** A pull request from one branch to another (null: the main branch), with no description. */
    public static NewPullRequest of(String title, String sourceBranch, String destinationBranch) {
        return new NewPullRequest(title, "", sourceBranch, destinationBranch, false, List.of(), false);
    }

    /** The same pull request with a description (Markdown). */
    public NewPullRequest withDescription(String text) {
        return new NewPullRequest(title, text, sourceBranch, destinationBranch, draft, reviewers, closeSourceBranch);
    }

    /** The same pull request, as a draft or not. */
    public NewPullRequest withDraft(boolean isDraft) {
        return new NewPullRequest(title, description, sourceBranch, destinationBranch, isDraft, reviewers,
                closeSourceBranch);
    }

    /** The same pull request with these reviewers (the author may not be one: that is a 400 on Bitbucket). */
    public NewPullRequest withReviewers(Account... accounts) {
        return new NewPullRequest(title, description, sourceBranch, destinationBranch, draft, List.of(accounts),
                closeSourceBranch);
    }

    /** The same pull request, deleting its source branch when merged or not. */
    public NewPullRequest withCloseSourceBranch(boolean close) {
        return new NewPullRequest(title, description, sourceBranch, destinationBranch, draft, reviewers, close);
    }
}
