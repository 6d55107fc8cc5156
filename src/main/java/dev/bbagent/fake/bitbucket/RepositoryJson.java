package dev.bbagent.fake.bitbucket;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Repositories, workspaces and projects as Bitbucket renders them. */
final class RepositoryJson {

    private RepositoryJson() {}

    /** The short form inside a pull request's {@code source} and {@code destination}. */
    static ObjectNode ref(RepoData repo, Links links) {
        ObjectNode n = Json.obj();
        n.put("full_name", repo.fullName());
        n.set("links", repoLinks(repo, links));
        n.put("name", repo.name);
        n.put("type", "repository");
        n.put("uuid", repo.uuid);
        return n;
    }

    /** The full form: {@code GET /repositories/{ws}/{slug}} and the {@code repository} of webhook payloads. */
    static ObjectNode full(RepoData repo, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "repository");
        n.put("full_name", repo.fullName());
        ObjectNode l = repoLinks(repo, links);
        String self = links.repo(repo);
        l.set("pullrequests", Json.href(self + "/pullrequests"));
        l.set("commits", Json.href(self + "/commits"));
        l.set("branches", Json.href(self + "/refs/branches"));
        l.set("source", Json.href(self + "/src"));
        l.set("hooks", Json.href(self + "/hooks"));
        l.set("clone", Json.arr()
                .add(Json.obj().put("name", "https").put("href", links.web("/" + repo.fullName() + ".git"))));
        n.set("links", l);
        n.put("name", repo.name);
        n.put("slug", repo.slug);
        n.put("description", repo.description);
        n.put("scm", "git");
        n.putNull("website");
        n.set("owner", owner(repo.workspace, links));
        n.set("workspace", workspace(repo.workspace, links));
        n.put("is_private", repo.isPrivate);
        n.set("project", project(repo.workspace, repo.project, links));
        n.put("fork_policy", "no_public_forks");
        n.put("created_on", Timestamps.format(repo.createdOn));
        n.put("updated_on", Timestamps.format(repo.updatedOn));
        n.put("size", repo.commits.values().stream()
                .mapToLong(c -> c.tree().values().stream().mapToLong(String::length).sum()).max().orElse(0));
        n.put("language", "");
        n.put("uuid", repo.uuid);
        if (repo.mainbranch == null) {
            n.putNull("mainbranch");
        } else {
            n.set("mainbranch", Json.obj().put("name", repo.mainbranch).put("type", "branch"));
        }
        n.put("has_issues", false);
        n.put("has_wiki", false);
        n.putNull("parent");
        return n;
    }

    static ObjectNode workspace(WorkspaceData ws, Links links) {
        ObjectNode n = Json.obj();
        n.set("links", workspaceLinks(ws, links));
        n.put("name", ws.name);
        n.put("slug", ws.slug);
        n.put("type", "workspace");
        n.put("uuid", ws.uuid);
        return n;
    }

    /** The sparse {@code workspace_base} of {@code GET /user/workspaces}: no name, just slug, uuid and links. */
    static ObjectNode workspaceBase(WorkspaceData ws, Links links) {
        ObjectNode n = Json.obj();
        n.put("type", "workspace_base");
        n.put("uuid", ws.uuid);
        n.put("slug", ws.slug);
        n.set("links", workspaceLinks(ws, links));
        return n;
    }

    private static ObjectNode workspaceLinks(WorkspaceData ws, Links links) {
        return Json.links("avatar", links.web("/workspaces/" + ws.slug + "/avatar/"),
                "html", links.web("/" + ws.slug + "/"), "self", links.workspace(ws));
    }

    /** Workspace-owned repositories show the workspace as a {@code team} owner. */
    private static ObjectNode owner(WorkspaceData ws, Links links) {
        ObjectNode n = Json.obj();
        n.put("display_name", ws.name);
        n.set("links", Json.links("avatar", links.web("/account/" + ws.slug + "/avatar/"),
                "html", links.web("/" + Links.encodeUuid(ws.uuid) + "/"),
                "self", links.api("/workspaces/" + Links.encodeUuid(ws.uuid))));
        n.put("type", "team");
        n.put("username", ws.slug);
        n.put("uuid", ws.uuid);
        return n;
    }

    static ObjectNode project(WorkspaceData ws, ProjectData project, Links links) {
        ObjectNode n = Json.obj();
        n.put("key", project.key());
        n.set("links", Json.links("avatar", links.web("/account/user/" + ws.slug + "/projects/" + project.key()
                        + "/avatar/32"), "html", links.web("/" + ws.slug + "/workspace/projects/" + project.key()),
                "self", links.api("/workspaces/" + ws.slug + "/projects/" + project.key())));
        n.put("name", project.name());
        n.put("type", "project");
        n.put("uuid", project.uuid());
        return n;
    }

    private static ObjectNode repoLinks(RepoData repo, Links links) {
        return Json.links("avatar", links.web("/ravatar/" + Links.encodeUuid(repo.uuid)),
                "html", links.repoWeb(repo), "self", links.repo(repo));
    }
}
