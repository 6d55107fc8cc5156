package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The repository an event belongs to.
 *
 * @param workspace Cloud workspace slug, or Data Center project key
 * @param slug repository slug
 * @param fullName {@code workspace/slug}; empty for an event without a repository
 * @param uuid Cloud uuid (with braces) or Data Center numeric id
 */
public record Repository(String workspace, String slug, String fullName, String uuid) {

    public Repository {
        workspace = workspace == null ? "" : workspace;
        slug = slug == null ? "" : slug;
        if (fullName == null || fullName.isEmpty()) {
            // An event without a repository has none, rather than "/".
            fullName = workspace.isEmpty() && slug.isEmpty() ? "" : workspace + "/" + slug;
        }
        uuid = uuid == null ? "" : uuid;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("workspace", workspace);
        m.put("slug", slug);
        m.put("full_name", fullName);
        m.put("uuid", uuid);
        return m;
    }
}
