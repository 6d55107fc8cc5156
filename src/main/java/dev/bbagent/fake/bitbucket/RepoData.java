package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A git repository reduced to what the API shows: commits with whole trees, branches pointing at them,
 * pull requests and webhooks. Mutable; guarded by the {@link Store} monitor.
 */
final class RepoData {

    /** Short hashes shorter than this are not resolved, as Bitbucket refuses very short prefixes. */
    private static final int MIN_PREFIX = 4;

    final WorkspaceData workspace;
    final String slug;
    final String uuid;
    final Instant createdOn;
    final Map<String, String> branches = new LinkedHashMap<>();
    final Map<String, CommitData> commits = new LinkedHashMap<>();
    final Map<Integer, PullRequestData> pullRequests = new TreeMap<>();
    final List<Hook> hooks = new ArrayList<>();
    String name;
    String description = "";
    boolean isPrivate = true;
    String mainbranch;
    ProjectData project;
    Instant updatedOn;
    int nextPullRequestId = 1;

    RepoData(WorkspaceData workspace, String slug, ProjectData project, Instant createdOn) {
        this.workspace = workspace;
        this.slug = slug;
        this.name = slug;
        this.project = project;
        this.uuid = Ids.newUuid();
        this.createdOn = createdOn;
        this.updatedOn = createdOn;
    }

    /** Bitbucket repository slugs: lowercase letters, digits, '.', '_' and '-'. */
    static boolean validSlug(String slug) {
        return slug != null && slug.matches("[a-z0-9._-]+");
    }

    String fullName() {
        return workspace.slug + "/" + slug;
    }

    /** The head commit of a branch, or null when there is no such branch. */
    CommitData head(String branch) {
        String hash = branches.get(branch);
        return hash == null ? null : commits.get(hash);
    }

    /**
     * A branch name, a full hash or an unambiguous hash prefix to its commit; null when nothing matches.
     * An ambiguous prefix is a 400, as on Bitbucket.
     */
    CommitData resolve(String commitish) {
        if (commitish == null || commitish.isEmpty()) {
            return null;
        }
        CommitData head = head(commitish);
        if (head != null) {
            return head;
        }
        CommitData exact = commits.get(commitish);
        if (exact != null || commitish.length() < MIN_PREFIX) {
            return exact;
        }
        List<CommitData> matches = commits.values().stream().filter(c -> c.hash().startsWith(commitish)).toList();
        if (matches.size() > 1) {
            throw ApiError.badRequest("The commit hash \"" + commitish + "\" is ambiguous");
        }
        return matches.isEmpty() ? null : matches.getFirst();
    }

    /**
     * Commit changes on top of a branch (created from the main branch's head when missing) and move the
     * branch. A null content deletes the path. The first branch of an empty repository becomes its main branch.
     */
    CommitData commit(String branch, Map<String, String> changes, String message, Account author, Instant when) {
        CommitData parent = head(branch);
        if (parent == null && mainbranch != null) {
            parent = head(mainbranch);
        }
        Map<String, String> tree = new HashMap<>(parent == null ? Map.of() : parent.tree());
        changes.forEach((path, content) -> {
            if (content == null) {
                tree.remove(path);
            } else {
                tree.put(path, content);
            }
        });
        List<String> parents = parent == null ? List.of() : List.of(parent.hash());
        return record(branch, parents, tree, message, author, when);
    }

    /** Record a commit with the given parents and tree and move the branch to it. */
    CommitData record(String branch, List<String> parents, Map<String, String> tree, String message, Account author,
            Instant when) {
        String hash = Ids.sha1(fullName() + "\n" + parents + "\n" + new TreeMap<>(tree) + "\n" + message + "\n"
                + when + "\n" + commits.size());
        CommitData commit = new CommitData(hash, parents, message, author, when, tree);
        commits.put(hash, commit);
        branches.put(branch, hash);
        if (mainbranch == null) {
            mainbranch = branch;
        }
        updatedOn = when;
        return commit;
    }

    /** The nearest common ancestor of two commits (breadth-first), or null when they share none. */
    CommitData mergeBase(String a, String b) {
        Set<String> ancestorsOfB = ancestors(b);
        Deque<String> queue = new ArrayDeque<>(List.of(a));
        Set<String> seen = new HashSet<>();
        while (!queue.isEmpty()) {
            String hash = queue.removeFirst();
            if (!seen.add(hash)) {
                continue;
            }
            if (ancestorsOfB.contains(hash)) {
                return commits.get(hash);
            }
            CommitData c = commits.get(hash);
            if (c != null) {
                queue.addAll(c.parents());
            }
        }
        return null;
    }

    private Set<String> ancestors(String start) {
        Set<String> seen = new HashSet<>();
        Deque<String> queue = new ArrayDeque<>(List.of(start));
        while (!queue.isEmpty()) {
            String hash = queue.removeFirst();
            CommitData c = commits.get(hash);
            if (c != null && seen.add(hash)) {
                queue.addAll(c.parents());
            }
        }
        return seen;
    }

    PullRequestData pullRequest(String id) {
        PullRequestData pr = null;
        try {
            pr = pullRequests.get(Integer.parseInt(id));
        } catch (NumberFormatException e) {
            // falls through to the 404
        }
        if (pr == null) {
            throw ApiError.notFound("Pull request " + id + " not found in " + fullName());
        }
        return pr;
    }
}
