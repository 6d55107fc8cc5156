package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A workspace: members, projects, repositories and snippets. Mutable; guarded by the {@link Store} monitor. */
final class WorkspaceData {

    final String slug;
    final String uuid;
    final Instant createdOn;
    /** Member account UUID to whether the member administers the workspace. */
    final Map<String, Boolean> members = new LinkedHashMap<>();
    final List<ProjectData> projects = new ArrayList<>();
    final Map<String, RepoData> repos = new LinkedHashMap<>();
    final Map<String, SnippetData> snippets = new LinkedHashMap<>();
    String name;

    WorkspaceData(String slug, Instant createdOn) {
        this.slug = slug;
        this.name = slug;
        this.uuid = Ids.newUuid();
        this.createdOn = createdOn;
        projects.add(new ProjectData("PROJ", "Untitled project", Ids.newUuid()));
    }

    /** The project with this key, or (like Bitbucket when none is given) the oldest one. */
    ProjectData project(String key) {
        if (key == null) {
            return projects.getFirst();
        }
        return projects.stream().filter(p -> p.key().equals(key)).findFirst()
                .orElseThrow(() -> ApiError.badField("project", "No project with key " + key + " in " + slug));
    }

    RepoData repo(String repoSlug) {
        RepoData repo = repos.get(repoSlug);
        if (repo == null) {
            throw ApiError.notFound("Repository " + slug + "/" + repoSlug + " not found");
        }
        return repo;
    }
}
