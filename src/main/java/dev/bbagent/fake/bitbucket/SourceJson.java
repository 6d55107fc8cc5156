package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/** Commits, branches and source-tree entries as Bitbucket renders them. */
final class SourceJson {

    private SourceJson() {}

    /** A commit reference inside a pull request: the 12-character hash, as Bitbucket shows it there. */
    static ObjectNode commitRef(RepoData repo, String hash, Links links) {
        String shortHash = Ids.shortHash(hash);
        ObjectNode n = Json.obj();
        n.put("hash", shortHash);
        n.set("links", Json.links("self", links.commit(repo, shortHash), "html", links.commitWeb(repo, shortHash)));
        n.put("type", "commit");
        return n;
    }

    /** A full commit, as the {@code target} of a branch. */
    static ObjectNode commit(RepoData repo, CommitData c, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "commit");
        n.put("hash", c.hash());
        n.put("date", Timestamps.format(c.date()));
        ObjectNode author = Json.obj();
        author.put("type", "author");
        author.put("raw", c.author().displayName() + " <" + c.author().email() + ">");
        author.set("user", AccountJson.of(c.author(), links));
        n.set("author", author);
        n.put("message", c.message());
        ArrayNode parents = Json.arr();
        for (String p : c.parents()) {
            parents.add(Json.obj().put("type", "commit").put("hash", p)
                    .<ObjectNode>set("links", Json.links("self", links.commit(repo, p), "html", links.commitWeb(repo, p))));
        }
        n.set("parents", parents);
        n.set("links", Json.links("self", links.commit(repo, c.hash()), "html", links.commitWeb(repo, c.hash())));
        n.set("repository", RepositoryJson.ref(repo, links));
        return n;
    }

    static ObjectNode branch(RepoData repo, String name, CommitData head, Links links) {
        ObjectNode n = Json.obj();
        n.put("name", name);
        n.set("target", commit(repo, head, links));
        n.set("links", Json.links("self", links.repo(repo) + "/refs/branches/" + name,
                "commits", links.repo(repo) + "/commits/" + name, "html", links.repoWeb(repo) + "/branch/" + name));
        n.put("type", "branch");
        n.set("merge_strategies", Json.arr().add("merge_commit").add("squash").add("fast_forward"));
        n.put("default_merge_strategy", "merge_commit");
        return n;
    }

    /** A {@code commit_file} entry: in a directory listing, or alone for {@code ?format=meta}. */
    static ObjectNode file(RepoData repo, CommitData c, String path, Links links) {
        String content = c.tree().get(path);
        ObjectNode n = Json.obj();
        n.put("path", path);
        n.set("commit", commitRef(repo, c.hash(), links));
        n.put("type", "commit_file");
        n.set("attributes", Json.arr());
        n.put("escaped_path", path);
        n.put("size", content.getBytes(StandardCharsets.UTF_8).length);
        n.put("mimetype", MediaTypes.forPath(path));
        String self = links.repo(repo) + "/src/" + c.hash() + "/" + path;
        n.set("links", Json.links("self", self, "meta", self + "?format=meta",
                "history", links.repo(repo) + "/filehistory/" + c.hash() + "/" + path));
        return n;
    }

    /** A {@code commit_directory} entry of a directory listing. */
    static ObjectNode directory(RepoData repo, CommitData c, String path, Links links) {
        ObjectNode n = Json.obj();
        n.put("path", path);
        n.set("commit", commitRef(repo, c.hash(), links));
        n.put("type", "commit_directory");
        String self = links.repo(repo) + "/src/" + c.hash() + "/" + path + "/";
        n.set("links", Json.links("self", self, "meta", self + "?format=meta"));
        return n;
    }
}
