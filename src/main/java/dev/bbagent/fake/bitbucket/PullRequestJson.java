package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/** Pull requests, participants and approvals as Bitbucket renders them (API answers and webhook payloads alike). */
final class PullRequestJson {

    private PullRequestJson() {}

    static ObjectNode of(PullRequestData pr, Links links) {
        ObjectNode n = Json.obj();
        n.set("author", AccountJson.of(pr.author, links));
        n.put("close_source_branch", pr.closeSourceBranch);
        n.set("closed_by", AccountJson.ofNullable(pr.closedBy, links));
        n.put("comment_count", pr.commentCount());
        n.put("created_on", Timestamps.format(pr.createdOn));
        n.put("description", pr.description);
        n.set("destination", endpoint(pr.repo, pr.destinationBranch, pr.destinationCommit, links, false));
        n.put("draft", pr.draft);
        n.put("id", pr.id);
        n.set("links", links(pr, links));
        n.set("merge_commit", pr.mergeCommit == null ? null : SourceJson.commitRef(pr.repo, pr.mergeCommit, links));
        ArrayNode participants = Json.arr();
        pr.participants.values().forEach(p -> participants.add(participant(p, links)));
        n.set("participants", participants);
        n.put("queued", false);
        n.put("reason", "");
        n.set("rendered", Json.obj().<ObjectNode>set("description", Json.rendered(pr.description))
                .set("title", Json.rendered(pr.title)));
        ArrayNode reviewers = Json.arr();
        pr.reviewers().forEach(r -> reviewers.add(AccountJson.of(r, links)));
        n.set("reviewers", reviewers);
        n.set("source", endpoint(pr.repo, pr.sourceBranch, pr.sourceCommit, links, true));
        n.put("state", pr.state);
        n.set("summary", Json.rendered(pr.description));
        n.put("task_count", 0);
        n.put("title", pr.title);
        n.put("type", "pullrequest");
        n.put("updated_on", Timestamps.format(pr.updatedOn));
        return n;
    }

    /** The short form inside a comment: {@code {type, id, title, links{self, html}}}. */
    static ObjectNode ref(PullRequestData pr, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "pullrequest");
        n.put("id", pr.id);
        n.set("links", Json.links("self", links.pullRequest(pr), "html", links.pullRequestWeb(pr)));
        n.put("title", pr.title);
        return n;
    }

    static ObjectNode participant(ParticipantData p, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "participant");
        n.set("user", AccountJson.of(p.user, links));
        n.put("role", p.role);
        n.put("approved", p.approved());
        n.put("state", p.state);
        n.put("participated_on", Timestamps.format(p.participatedOn));
        return n;
    }

    /** The {@code approval} or {@code changes_request} object of those webhook payloads. */
    static ObjectNode review(Account user, Instant date, Links links) {
        ObjectNode n = Json.obj();
        n.put("date", Timestamps.format(date));
        n.set("user", AccountJson.of(user, links));
        return n;
    }

    private static ObjectNode endpoint(RepoData repo, String branch, String commit, Links links, boolean source) {
        ObjectNode b = Json.obj();
        if (source) {
            b.set("links", Json.obj());
        }
        b.put("name", branch);
        if (source) {
            b.set("sync_strategies", Json.arr().add("merge_commit").add("rebase"));
        }
        ObjectNode n = Json.obj();
        n.set("branch", b);
        n.set("commit", SourceJson.commitRef(repo, commit, links));
        n.set("repository", RepositoryJson.ref(repo, links));
        return n;
    }

    private static ObjectNode links(PullRequestData pr, Links links) {
        String self = links.pullRequest(pr);
        return Json.links("activity", self + "/activity", "approve", self + "/approve", "comments", self + "/comments",
                "commits", self + "/commits", "decline", self + "/decline",
                "diff", links.pullRequestDiff(pr, "diff"), "diffstat", links.pullRequestDiff(pr, "diffstat"),
                "html", links.pullRequestWeb(pr), "merge", self + "/merge", "request-changes", self + "/request-changes",
                "self", self, "statuses", self + "/statuses");
    }
}
