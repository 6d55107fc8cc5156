package dev.bbagent.fake.bitbucket;

/**
 * Builds the absolute URLs the fake puts in {@code links} and {@code next}: API links under
 * {@code http://127.0.0.1:PORT/2.0}, web ("html") links under {@code http://127.0.0.1:PORT}.
 */
final class Links {

    private volatile String origin = "http://127.0.0.1:0";

    /** Called once the server listens, before any request is served. */
    void bind(String origin) {
        this.origin = origin;
    }

    String origin() {
        return origin;
    }

    String api(String path) {
        return origin + "/2.0" + path;
    }

    String web(String path) {
        return origin + path;
    }

    /** Braces percent-encoded, as Bitbucket writes UUIDs in URLs. */
    static String encodeUuid(String uuid) {
        return uuid.replace("{", "%7B").replace("}", "%7D");
    }

    String user(Account account) {
        return api("/users/" + encodeUuid(account.uuid()));
    }

    String userWeb(Account account) {
        return web("/" + encodeUuid(account.uuid()) + "/");
    }

    String avatar(Account account) {
        return web("/account/" + account.nickname().replace(' ', '-') + "/avatar/");
    }

    String workspace(WorkspaceData ws) {
        return api("/workspaces/" + ws.slug);
    }

    String repo(RepoData repo) {
        return api("/repositories/" + repo.fullName());
    }

    String repoWeb(RepoData repo) {
        return web("/" + repo.fullName());
    }

    String pullRequest(PullRequestData pr) {
        return repo(pr.repo) + "/pullrequests/" + pr.id;
    }

    String pullRequestWeb(PullRequestData pr) {
        return repoWeb(pr.repo) + "/pull-requests/" + pr.id;
    }

    /** Where {@code /pullrequests/{id}/diff} (or {@code diffstat}) redirects, in Bitbucket's own form. */
    String pullRequestDiff(PullRequestData pr, String kind) {
        return repo(pr.repo) + "/" + kind + "/" + pr.repo.fullName() + ":" + Ids.shortHash(pr.sourceCommit) + "%0D"
                + Ids.shortHash(pr.destinationCommit) + "?from_pullrequest_id=" + pr.id + "&topic=true";
    }

    String commit(RepoData repo, String hash) {
        return repo(repo) + "/commit/" + hash;
    }

    String commitWeb(RepoData repo, String hash) {
        return repoWeb(repo) + "/commits/" + hash;
    }
}
