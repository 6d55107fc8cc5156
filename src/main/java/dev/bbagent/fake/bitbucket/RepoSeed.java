package dev.bbagent.fake.bitbucket;

import java.util.Map;

/**
 * Seeds one repository: branches and commits. Obtained from {@link WorkspaceSeed#repo(String)}.
 * <pre>{@code
 * fake.workspace("acme").repo("widgets")
 *     .branch("main", Map.of("README.md", "# Widgets\n"))
 *     .branch("feature/x", Map.of("src/x.py", "print('x')\n"));   // main's files plus src/x.py
 * }</pre>
 */
public final class RepoSeed {

    private final Seeding seeding;
    private final WorkspaceSeed workspace;
    private final String slug;

    RepoSeed(Seeding seeding, WorkspaceSeed workspace, String slug) {
        this.seeding = seeding;
        this.workspace = workspace;
        this.slug = slug;
    }

    /** The workspace this repository is in, to go on seeding it. */
    public WorkspaceSeed workspace() {
        return workspace;
    }

    /** {@code workspace/slug}. */
    public String fullName() {
        return workspace.slug() + "/" + slug;
    }

    /**
     * Commit files to a branch. A new branch starts from the main branch's head (or, in an empty repository,
     * from nothing, and becomes the main branch); the files are added or replaced on top.
     */
    public RepoSeed branch(String name, Map<String, String> files) {
        commit(name, files, "Update " + String.join(", ", files.keySet()), seeding.committer());
        return this;
    }

    /**
     * Commit changes to a branch as an author; a null content deletes the path (use a {@code HashMap}).
     * Open pull requests from the branch move to the new head (a {@code pullrequest:updated} event when seed
     * events are on). Returns the new commit's full hash.
     */
    public String commit(String branch, Map<String, String> changes, String message, Account author) {
        return seeding.run(() -> {
            seeding.store().addAccount(author);
            RepoData repo = repo();
            CommitData c = repo.commit(branch, changes, message, author, seeding.store().now());
            seeding.pullRequests().sourceMoved(repo, branch, author, seeding.emit());
            return c.hash();
        });
    }

    /** Point a new branch at an existing commit (a branch name, hash or unambiguous prefix). */
    public RepoSeed branchAt(String name, String commitish) {
        seeding.run(() -> {
            RepoData repo = repo();
            CommitData c = repo.resolve(commitish);
            if (c == null) {
                throw ApiError.notFound("Commit not found: " + commitish);
            }
            repo.branches.put(name, c.hash());
        });
        return this;
    }

    /** The full hash a branch points at. */
    public String head(String branch) {
        return seeding.run(() -> {
            CommitData head = repo().head(branch);
            if (head == null) {
                throw ApiError.notFound("Branch " + branch + " not found in " + fullName());
            }
            return head.hash();
        });
    }

    /** Make another existing branch the main branch. */
    public RepoSeed mainbranch(String name) {
        seeding.run(() -> {
            RepoData repo = repo();
            if (!repo.branches.containsKey(name)) {
                throw ApiError.notFound("Branch " + name + " not found in " + fullName());
            }
            repo.mainbranch = name;
        });
        return this;
    }

    /** Set the description shown in {@code GET /repositories/{ws}/{slug}}. */
    public RepoSeed description(String text) {
        seeding.run(() -> repo().description = text);
        return this;
    }

    /** Set {@code is_private} (repositories are private by default). */
    public RepoSeed isPrivate(boolean value) {
        seeding.run(() -> repo().isPrivate = value);
        return this;
    }

    private RepoData repo() {
        return seeding.store().repo(workspace.slug(), slug);
    }
}
