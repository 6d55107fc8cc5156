package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Snippets as Bitbucket renders them. */
final class SnippetJson {

    private SnippetJson() {}

    static ObjectNode of(SnippetData s, Links links) {
        String self = links.api("/snippets/" + s.workspace.slug + "/" + s.id);
        ObjectNode n = ref(s, links);
        ObjectNode l = (ObjectNode) n.get("links");
        l.set("comments", Json.href(self + "/comments"));
        l.set("watchers", Json.href(self + "/watchers"));
        l.set("commits", Json.href(self + "/commits"));
        n.put("scm", "git");
        n.put("created_on", Timestamps.format(s.createdOn));
        n.put("updated_on", Timestamps.format(s.createdOn));
        n.set("owner", AccountJson.of(s.owner, links));
        n.set("creator", AccountJson.of(s.owner, links));
        n.put("is_private", s.isPrivate);
        ObjectNode files = Json.obj();
        s.files.keySet().forEach(name -> files.set(name, Json.obj().set("links", Json.links(
                "self", self + "/files/" + name, "html", links.web("/snippets/" + s.workspace.slug + "/" + s.id
                        + "#file-" + name)))));
        n.set("files", files);
        return n;
    }

    static ObjectNode ref(SnippetData s, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "snippet");
        n.put("id", s.id);
        n.put("title", s.title);
        n.set("links", Json.links("self", links.api("/snippets/" + s.workspace.slug + "/" + s.id),
                "html", links.web("/snippets/" + s.workspace.slug + "/" + s.id)));
        return n;
    }
}
