package dev.bbagent.fake.bitbucket;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A snippet: named files plus comments. Mutable; guarded by the {@link Store} monitor. */
final class SnippetData {

    final String id;
    final WorkspaceData workspace;
    final String title;
    final Account owner;
    final boolean isPrivate;
    final Map<String, String> files;
    final Instant createdOn;
    final Map<Long, CommentData> comments = new LinkedHashMap<>();

    SnippetData(String id, WorkspaceData workspace, String title, Account owner, boolean isPrivate,
            Map<String, String> files, Instant createdOn) {
        this.id = id;
        this.workspace = workspace;
        this.title = title;
        this.owner = owner;
        this.isPrivate = isPrivate;
        this.files = new LinkedHashMap<>(files);
        this.createdOn = createdOn;
    }
}
