package dev.bbagent.bitbucket;

import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolSchema;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Reading what a pull request changes: {@code get_pull_request_diff} and {@code get_pull_request_diffstat}. */
final class DiffTools {

    static final int DEFAULT_MAX_BYTES = 60_000;
    static final int MAX_MAX_BYTES = 1_000_000;
    /** The most of a diff downloaded to filter and cut; larger diffs are read this far. */
    static final int DOWNLOAD_CAP = 20 << 20;
    /** Left-out files listed by name; beyond this they are only counted. */
    static final int MAX_LISTED = 100;

    private final BitbucketClient client;

    DiffTools(BitbucketClient client) {
        this.client = client;
    }

    List<BuiltinTool> tools() {
        return List.of(diff(), diffstat());
    }

    private BuiltinTool diff() {
        ToolSchema schema = Schema.pullRequest()
                .optional("max_bytes", ToolSchema.integer("Most bytes of diff to return (default " + DEFAULT_MAX_BYTES
                        + "). Whole files are included in diff order while they fit; the others are listed.",
                        1_000, MAX_MAX_BYTES, DEFAULT_MAX_BYTES))
                .optional("include", ToolSchema.strings("Only files matching one of these globs, e.g. [\"src/**\", "
                        + "\"*.py\"] or an exact path [\"src/app.py\"]. A glob without '/' matches file names in any "
                        + "directory; '**' crosses directories."))
                .optional("exclude", ToolSchema.strings("Leave out files matching one of these globs, e.g. "
                        + "[\"*.lock\", \"package-lock.json\", \"**/generated/**\"]."));
        return Tools.define("get_pull_request_diff",
                "Get the unified diff (git format) of a pull request: what its source branch changes compared with "
                        + "the destination. Large diffs are cut to max_bytes by whole files; a header lists every "
                        + "file left out (filtered, or too large) so you can fetch it with include. Read "
                        + "get_pull_request_diffstat first on big pull requests to choose files.",
                schema, Tools.Effect.READ_ONLY, this::getDiff);
    }

    private String getDiff(ToolArgs a) {
        int maxBytes = a.integer("max_bytes", DEFAULT_MAX_BYTES, 1_000, MAX_MAX_BYTES);
        List<Glob> include = a.texts("include").stream().map(Glob::of).toList();
        List<Glob> exclude = a.texts("exclude").stream().map(Glob::of).toList();
        ApiPath path = ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"), "pullrequests",
                Long.toString(a.id("pull_request_id")), "diff");
        RawContent raw = client.getRaw(path, Query.empty(), DOWNLOAD_CAP);
        String diff = new String(raw.bytes(), StandardCharsets.UTF_8);
        if (diff.isBlank()) {
            return "The pull request changes no files.";
        }
        DiffSlicer.Slice slice = DiffSlicer.slice(diff, include, exclude, maxBytes, raw.truncated());
        if (slice.leftOut().isEmpty()) {
            return slice.diff();
        }
        return header(slice, maxBytes) + "\n" + slice.diff();
    }

    /** Lines starting with {@code #} before the diff: what is shown, what is left out and how to get it. */
    private static String header(DiffSlicer.Slice s, int maxBytes) {
        StringBuilder h = new StringBuilder();
        h.append("# Showing ").append(s.shown().size()).append(" of ").append(s.totalFiles())
                .append(" changed files (").append(s.shownBytes()).append(" bytes; max_bytes ").append(maxBytes)
                .append("). Left out:\n");
        s.leftOut().stream().limit(MAX_LISTED).forEach(l -> h.append("#   ").append(l.path()).append(" (")
                .append(l.bytes()).append(" bytes): ").append(l.reason()).append('\n'));
        if (s.leftOut().size() > MAX_LISTED) {
            h.append("#   ... and ").append(s.leftOut().size() - MAX_LISTED).append(" more files\n");
        }
        h.append("# To read a left-out file, call get_pull_request_diff again with include: [\"<its path>\"]")
                .append(maxBytes < MAX_MAX_BYTES ? ", and a larger max_bytes if it is big" : "").append(".\n");
        return h.toString();
    }

    private BuiltinTool diffstat() {
        ToolSchema schema = Schema.pullRequest()
                .optional("limit", Schema.limit("files", 200, 1_000));
        return Tools.define("get_pull_request_diffstat",
                "List the files a pull request changes, with status (added, removed, modified, renamed) and lines "
                        + "added and removed per file. Cheap; use it to decide which parts of the diff to read.",
                schema, Tools.Effect.READ_ONLY, this::getDiffstat);
    }

    private String getDiffstat(ToolArgs a) {
        int limit = a.integer("limit", 200, 1, 1_000);
        ApiPath path = ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"), "pullrequests",
                Long.toString(a.id("pull_request_id")), "diffstat");
        Listing listing = client.list(path, Query.empty(), PageLimit.items(limit));
        return Out.listing(listing, Compact::diffstat, limit, 1_000, "files", null);
    }
}
