package dev.bbagent.fake.bitbucket;

/**
 * Seeds one workspace: {@code fake.workspace("acme").member(alice).repo("widgets").branch("main", files)}.
 * Obtained from {@link FakeBitbucket#workspace(String)}; the workspace exists once the handle does.
 */
public final class WorkspaceSeed {

    private final Seeding seeding;
    private final String slug;

    WorkspaceSeed(Seeding seeding, String slug) {
        this.seeding = seeding;
        this.slug = slug;
        seeding.run(() -> seeding.store().workspaceOrCreate(slug));
    }

    /** The workspace slug. */
    public String slug() {
        return slug;
    }

    /** Set the display name (defaults to the slug). */
    public WorkspaceSeed name(String displayName) {
        seeding.run(() -> seeding.store().workspace(slug).name = displayName);
        return this;
    }

    /** Add a member ({@code GET /workspaces/{ws}/members}, {@code GET /user/workspaces}). */
    public WorkspaceSeed member(Account account) {
        return join(account, false);
    }

    /** Add a member who administers the workspace ({@code administrator: true} in {@code /user/workspaces}). */
    public WorkspaceSeed admin(Account account) {
        return join(account, true);
    }

    /** Add a project that repositories may name by key when created. */
    public WorkspaceSeed project(String key, String name) {
        seeding.run(() -> seeding.store().workspace(slug).projects.add(new ProjectData(key, name, Ids.newUuid())));
        return this;
    }

    /** The repository with this slug, created (empty, private, in the first project) when missing. */
    public RepoSeed repo(String repoSlug) {
        if (!RepoData.validSlug(repoSlug)) {
            throw new IllegalArgumentException("a repository slug is lowercase letters, digits, '.', '_' and '-': "
                    + repoSlug);
        }
        seeding.run(() -> {
            WorkspaceData ws = seeding.store().workspace(slug);
            ws.repos.computeIfAbsent(repoSlug, s -> new RepoData(ws, s, ws.project(null), seeding.store().now()));
        });
        return new RepoSeed(seeding, this, repoSlug);
    }

    private WorkspaceSeed join(Account account, boolean admin) {
        seeding.run(() -> {
            seeding.store().addAccount(account);
            seeding.store().workspace(slug).members.put(account.uuid(), admin);
        });
        return this;
    }
}
