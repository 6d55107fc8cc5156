package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Pull-request and snippet comments as Bitbucket renders them. */
final class CommentJson {

    private CommentJson() {}

    static ObjectNode ofPullRequest(PullRequestData pr, CommentData c, Links links) {
        String self = links.pullRequest(pr) + "/comments/" + c.id;
        ObjectNode n = common(c, links, self, links.pullRequestWeb(pr) + "/_/diff#comment-" + c.id);
        n.set("pullrequest", PullRequestJson.ref(pr, links));
        n.put("pending", false);
        if (c.inline != null) {
            ObjectNode inline = Json.obj();
            inline.put("from", c.inline.from());
            inline.put("to", c.inline.to());
            inline.put("path", c.inline.path());
            n.set("inline", inline);
        }
        if (c.parentId != null) {
            n.set("parent", parent(c.parentId, links.pullRequest(pr) + "/comments/" + c.parentId));
        }
        n.put("type", "pullrequest_comment");
        return n;
    }

    static ObjectNode ofSnippet(SnippetData snippet, CommentData c, Links links) {
        String base = links.api("/snippets/" + snippet.workspace.slug + "/" + snippet.id);
        ObjectNode n = common(c, links, base + "/comments/" + c.id,
                links.web("/snippets/" + snippet.workspace.slug + "/" + snippet.id + "#comment-" + c.id));
        n.set("snippet", SnippetJson.ref(snippet, links));
        if (c.parentId != null) {
            n.set("parent", parent(c.parentId, base + "/comments/" + c.parentId));
        }
        n.put("type", "snippet_comment");
        return n;
    }

    private static ObjectNode common(CommentData c, Links links, String self, String html) {
        ObjectNode n = Json.obj();
        n.set("links", Json.links("self", self, "html", html));
        n.put("deleted", c.deleted);
        n.set("content", Json.rendered(c.raw));
        n.put("created_on", Timestamps.format(c.createdOn));
        n.set("user", AccountJson.of(c.user, links));
        n.put("updated_on", Timestamps.format(c.updatedOn));
        n.put("id", c.id);
        return n;
    }

    private static ObjectNode parent(long id, String self) {
        ObjectNode p = Json.obj();
        p.put("id", id);
        p.set("links", Json.links("self", self));
        return p;
    }
}
