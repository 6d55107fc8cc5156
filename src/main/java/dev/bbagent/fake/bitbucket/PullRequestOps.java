package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What can happen to a pull request, shared by the REST routes and the seed API: validate, change the model,
 * emit the webhook event when asked to. Callers hold the store lock.
 */
final class PullRequestOps {

    private final Store store;
    private final Events events;

    PullRequestOps(Store store, Events events) {
        this.store = store;
        this.events = events;
    }

    PullRequestData open(RepoData repo, Account author, NewPullRequest spec, boolean emit) {
        if (spec.title() == null || spec.title().isBlank()) {
            throw ApiError.badField("title", "This field is required.");
        }
        if (spec.sourceBranch() == null || spec.sourceBranch().isBlank()) {
            throw ApiError.badField("source", "This field is required.");
        }
        CommitData source = repo.head(spec.sourceBranch());
        if (source == null) {
            throw ApiError.badField("source", "Branch " + spec.sourceBranch() + " does not exist in " + repo.fullName());
        }
        String destinationBranch = spec.destinationBranch() != null ? spec.destinationBranch() : repo.mainbranch;
        CommitData destination = destinationBranch == null ? null : repo.head(destinationBranch);
        if (destination == null) {
            throw ApiError.badField("destination", "Branch " + destinationBranch + " does not exist in " + repo.fullName());
        }
        if (destinationBranch.equals(spec.sourceBranch())) {
            throw ApiError.badRequest("You can't create a pull request from " + destinationBranch + " to itself.");
        }
        Instant now = store.now();
        PullRequestData pr = new PullRequestData(repo.nextPullRequestId++, repo, author, now);
        pr.title = spec.title();
        pr.description = spec.description();
        pr.draft = spec.draft();
        pr.closeSourceBranch = spec.closeSourceBranch();
        pr.sourceBranch = spec.sourceBranch();
        pr.sourceCommit = source.hash();
        pr.destinationBranch = destinationBranch;
        pr.destinationCommit = destination.hash();
        setReviewers(pr, spec.reviewers());
        repo.pullRequests.put(pr.id, pr);
        if (emit) {
            events.pullRequest(Events.PR_CREATED, pr, author);
        }
        return pr;
    }

    /** The fields of an update; null leaves a field as it is. */
    record Update(String title, String description, Boolean draft, String destinationBranch, List<Account> reviewers) {}

    void update(PullRequestData pr, Account actor, Update update, boolean emit) {
        requireOpen(pr, "updated");
        if (update.title() != null) {
            if (update.title().isBlank()) {
                throw ApiError.badField("title", "This field may not be blank.");
            }
            pr.title = update.title();
        }
        if (update.description() != null) {
            pr.description = update.description();
        }
        if (update.draft() != null) {
            pr.draft = update.draft();
        }
        if (update.destinationBranch() != null && !update.destinationBranch().equals(pr.destinationBranch)) {
            CommitData head = pr.repo.head(update.destinationBranch());
            if (head == null) {
                throw ApiError.badField("destination", "Branch " + update.destinationBranch() + " does not exist");
            }
            pr.destinationBranch = update.destinationBranch();
            pr.destinationCommit = head.hash();
        }
        if (update.reviewers() != null) {
            setReviewers(pr, update.reviewers());
        }
        pr.updatedOn = store.now();
        if (emit) {
            events.pullRequest(Events.PR_UPDATED, pr, actor);
        }
    }

    /** After a push to a branch: open pull requests from it now show the new head. */
    void sourceMoved(RepoData repo, String branch, Account actor, boolean emit) {
        for (PullRequestData pr : repo.pullRequests.values()) {
            if (pr.isOpen() && pr.sourceBranch.equals(branch) && !pr.sourceCommit.equals(repo.branches.get(branch))) {
                pr.sourceCommit = repo.branches.get(branch);
                pr.updatedOn = store.now();
                if (emit) {
                    events.pullRequest(Events.PR_UPDATED, pr, actor);
                }
            }
        }
    }

    /** Merge: a merge commit on the destination holding the source's changes since the merge base. */
    void merge(PullRequestData pr, Account actor, String message, Boolean closeSourceBranch, boolean emit) {
        requireOpen(pr, "merged");
        RepoData repo = pr.repo;
        CommitData source = repo.commits.get(pr.sourceCommit);
        CommitData destination = repo.head(pr.destinationBranch);
        if (destination == null) {
            throw ApiError.badRequest("The destination branch " + pr.destinationBranch + " no longer exists.");
        }
        CommitData base = repo.mergeBase(source.hash(), destination.hash());
        Map<String, String> baseTree = base == null ? Map.of() : base.tree();
        Map<String, String> tree = new HashMap<>(destination.tree());
        Set<String> paths = new HashSet<>(baseTree.keySet());
        paths.addAll(source.tree().keySet());
        for (String path : paths) {
            String theirs = source.tree().get(path);
            if (theirs == null) {
                tree.remove(path);
            } else if (!theirs.equals(baseTree.get(path))) {
                tree.put(path, theirs);
            }
        }
        Instant now = store.now();
        String text = message != null ? message
                : "Merged in " + pr.sourceBranch + " (pull request #" + pr.id + ")\n\n" + pr.title;
        CommitData merged = repo.record(pr.destinationBranch, List.of(destination.hash(), source.hash()), tree, text,
                actor, now);
        pr.mergeCommit = merged.hash();
        close(pr, PullRequestData.MERGED, actor, now);
        if (closeSourceBranch != null ? closeSourceBranch : pr.closeSourceBranch) {
            repo.branches.remove(pr.sourceBranch);
        }
        if (emit) {
            events.pullRequest(Events.PR_FULFILLED, pr, actor);
        }
    }

    void decline(PullRequestData pr, Account actor, boolean emit) {
        requireOpen(pr, "declined");
        close(pr, PullRequestData.DECLINED, actor, store.now());
        if (emit) {
            events.pullRequest(Events.PR_REJECTED, pr, actor);
        }
    }

    /** Approve ({@code approved}) or request changes ({@code changes_requested}); each replaces the other. */
    ParticipantData review(PullRequestData pr, Account actor, String state, boolean emit) {
        ParticipantData p = pr.participant(actor);
        Instant now = store.now();
        p.state = state;
        p.participatedOn = now;
        if (emit) {
            events.review(state.equals(ParticipantData.APPROVED) ? Events.PR_APPROVED : Events.PR_CHANGES_REQUEST_CREATED,
                    pr, actor, now);
        }
        return p;
    }

    /** Withdraw an approval or a change request; nothing happens (and nothing is sent) when there is none. */
    void withdraw(PullRequestData pr, Account actor, String state, boolean emit) {
        ParticipantData p = pr.participants.get(actor.uuid());
        if (p == null || !state.equals(p.state)) {
            return;
        }
        p.state = null;
        Instant now = store.now();
        if (emit) {
            events.review(state.equals(ParticipantData.APPROVED) ? Events.PR_UNAPPROVED : Events.PR_CHANGES_REQUEST_REMOVED,
                    pr, actor, now);
        }
    }

    private static void close(PullRequestData pr, String state, Account actor, Instant now) {
        pr.state = state;
        pr.closedBy = actor;
        pr.updatedOn = now;
    }

    private static void requireOpen(PullRequestData pr, String verb) {
        if (!pr.isOpen()) {
            throw ApiError.badRequest("Pull request " + pr.id + " is " + pr.state + " and can no longer be " + verb + ".");
        }
    }

    private static void setReviewers(PullRequestData pr, List<Account> reviewers) {
        for (Account r : reviewers) {
            if (r.uuid().equals(pr.author.uuid())) {
                throw ApiError.badField("reviewers", r.displayName() + " is the author and cannot be included as a reviewer.");
            }
        }
        pr.participants.values().forEach(p -> p.role = ParticipantData.PARTICIPANT);
        pr.participants.values().removeIf(p -> p.state == null && p.participatedOn == null);
        for (Account r : reviewers) {
            pr.participant(r).role = ParticipantData.REVIEWER;
        }
    }
}
