package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.tools.ToolArgs;
import dev.bbagent.tools.ToolError;
import dev.bbagent.tools.ToolSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Accounts, workspaces, repositories, branches and files: {@code get_current_user}, {@code list_workspaces},
 * {@code list_workspace_members}, {@code list_repositories}, {@code create_repository},
 * {@code delete_repository}, {@code create_branch}, {@code get_file}.
 */
final class RepositoryTools {

    static final int FILE_DEFAULT_BYTES = 100_000;
    static final int FILE_MAX_BYTES = 1_000_000;
    private static final int DIRECTORY_LIMIT = 500;
    private static final int BINARY_SNIFF = 8_000;

    private final BitbucketClient client;
    private final ObjectMapper json = new ObjectMapper();

    RepositoryTools(BitbucketClient client) {
        this.client = client;
    }

    List<BuiltinTool> tools() {
        return List.of(getCurrentUser(), listWorkspaces(), listWorkspaceMembers(), listRepositories(),
                createRepository(), deleteRepository(), createBranch(), getFile());
    }

    private BuiltinTool getCurrentUser() {
        return Tools.define("get_current_user",
                "Get the Bitbucket account these tools act as (the bot): display name, nickname, account_id, uuid.",
                ToolSchema.object(), Tools.Effect.READ_ONLY,
                a -> Out.json(Compact.user(client.get(ApiPath.of("user")))));
    }

    private BuiltinTool listWorkspaces() {
        ToolSchema schema = ToolSchema.object().optional("limit", Schema.limit("workspaces", 25, 100));
        return Tools.define("list_workspaces",
                "List the workspaces the bot's account belongs to, with their slugs (use a slug as 'workspace' in "
                        + "other tools) and whether the bot administers them.",
                schema, Tools.Effect.READ_ONLY, a -> {
                    int limit = a.integer("limit", 25, 1, 100);
                    Listing l = client.list(ApiPath.of("user", "workspaces"), Query.empty(), PageLimit.items(limit));
                    return Out.listing(l, Compact::workspace, limit, 100, "workspaces", null);
                });
    }

    private BuiltinTool listWorkspaceMembers() {
        ToolSchema schema = ToolSchema.object().required("workspace", Schema.workspace())
                .optional("limit", Schema.limit("members", 50, 200));
        return Tools.define("list_workspace_members",
                "List the members of a workspace: display name, nickname, account_id and uuid (use account_id or "
                        + "uuid to name reviewers).",
                schema, Tools.Effect.READ_ONLY, a -> {
                    int limit = a.integer("limit", 50, 1, 200);
                    Listing l = client.list(ApiPath.of("workspaces", a.text("workspace"), "members"), Query.empty(),
                            PageLimit.items(limit));
                    return Out.listing(l, Compact::member, limit, 200, "members", null);
                });
    }

    private BuiltinTool listRepositories() {
        ToolSchema schema = ToolSchema.object().required("workspace", Schema.workspace())
                .optional("q", ToolSchema.string("Bitbucket query (BBQL) filter, e.g. name ~ \"api\" or "
                        + "project.key = \"WEB\" or updated_on > 2026-01-01."))
                .optional("sort", ToolSchema.string("Field to sort by, '-' first for descending, e.g. -updated_on."))
                .optional("role", ToolSchema.string("Only repositories where the bot has this role.",
                        List.of("member", "contributor", "admin", "owner")))
                .optional("limit", Schema.limit("repositories", 25, 100));
        return Tools.define("list_repositories",
                "List the repositories of a workspace: full name, slug, description, main branch, project, "
                        + "privacy, last update and web URL.",
                schema, Tools.Effect.READ_ONLY, a -> {
                    int limit = a.integer("limit", 25, 1, 100);
                    Query query = Query.empty().and("q", a.optionalText("q").orElse(null))
                            .and("sort", a.optionalText("sort").orElse(null))
                            .and("role", a.choice("role", List.of("member", "contributor", "admin", "owner")).orElse(null));
                    Listing l = client.list(ApiPath.of("repositories", a.text("workspace")), query, PageLimit.items(limit));
                    return Out.listing(l, Compact::repository, limit, 100, "repositories", "narrow the list with q");
                });
    }

    private BuiltinTool createRepository() {
        ToolSchema schema = Schema.repository()
                .optional("project_key", ToolSchema.string("Key of the workspace project to put the repository in, e.g. "
                        + "\"WEB\". Without it Bitbucket uses the workspace's oldest project."))
                .optional("is_private", ToolSchema.bool("Whether the repository is private.", true))
                .optional("description", ToolSchema.string("A one-line description."))
                .optional("name", ToolSchema.string("Display name; defaults to the slug."));
        return Tools.define("create_repository",
                "Create an empty git repository in a workspace. The repo_slug becomes its URL name: lowercase "
                        + "letters, digits, '-', '_' and '.'.",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.put("scm", "git");
                    body.put("is_private", a.flag("is_private", true));
                    a.optionalText("project_key").ifPresent(k -> body.putObject("project").put("key", k));
                    a.optionalText("description").ifPresent(d -> body.put("description", d));
                    a.optionalText("name").ifPresent(n -> body.put("name", n));
                    JsonNode created = client.post(ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug")),
                            body);
                    return Out.json(Compact.repository(created));
                });
    }

    private BuiltinTool deleteRepository() {
        ToolSchema schema = Schema.repository()
                .optional("redirect_to", ToolSchema.string("URL to redirect visitors of the deleted repository to, e.g. "
                        + "its new home."));
        return Tools.define("delete_repository",
                "Delete a repository with all its code, branches, pull requests and history. Irreversible.",
                schema, Tools.Effect.DESTRUCTIVE, a -> {
                    String workspace = a.text("workspace");
                    String repoSlug = a.text("repo_slug");
                    client.delete(ApiPath.of("repositories", workspace, repoSlug),
                            Query.of("redirect_to", a.optionalText("redirect_to").orElse(null)));
                    return Out.json(Out.object().put("deleted", workspace + "/" + repoSlug));
                });
    }

    private BuiltinTool createBranch() {
        ToolSchema schema = Schema.repository()
                .required("name", ToolSchema.string("Name of the new branch, without refs/heads/, e.g. "
                        + "\"bbagent/fix-typo\"."))
                .required("target", ToolSchema.string("Commit hash the branch starts at (a full hash, or an "
                        + "unambiguous prefix of at least 7 characters)."));
        return Tools.define("create_branch",
                "Create a branch pointing at an existing commit. Fails if the branch exists.",
                schema, Tools.Effect.WRITE, a -> {
                    ObjectNode body = Out.object();
                    body.put("name", a.text("name"));
                    body.putObject("target").put("hash", a.text("target"));
                    JsonNode created = client.post(
                            ApiPath.of("repositories", a.text("workspace"), a.text("repo_slug"), "refs", "branches"), body);
                    return Out.json(Compact.branch(created));
                });
    }

    private BuiltinTool getFile() {
        ToolSchema schema = Schema.repository()
                .optional("path", ToolSchema.string("Path from the repository root, e.g. \"src/app.py\". A directory "
                        + "(or no path: the root) lists its entries."))
                .optional("commit", ToolSchema.string("Branch name or commit hash to read at (e.g. the pull request's "
                        + "source commit). Defaults to the repository's main branch."))
                .optional("max_bytes", ToolSchema.integer("Most bytes of the file to return (default "
                        + FILE_DEFAULT_BYTES + ").", 1_000, FILE_MAX_BYTES, FILE_DEFAULT_BYTES));
        return Tools.define("get_file",
                "Read a file of a repository at a branch or commit, as text; or list a directory's entries. Binary "
                        + "files are described, not shown.",
                schema, Tools.Effect.READ_ONLY, this::readFile);
    }

    private String readFile(ToolArgs a) {
        String workspace = a.text("workspace");
        String repoSlug = a.text("repo_slug");
        String path = a.optionalText("path").map(p -> p.replaceAll("^/+|/+$", "")).orElse("");
        int maxBytes = a.integer("max_bytes", FILE_DEFAULT_BYTES, 1_000, FILE_MAX_BYTES);
        ApiPath repo = ApiPath.of("repositories", workspace, repoSlug);
        String commit = a.optionalText("commit").orElseGet(() -> mainBranch(repo));
        ApiPath src = repo.then("src", resolvable(repo, commit));
        ApiPath at = path.isEmpty() || path.equals(".") ? src : src.thenPath(path);
        RawContent raw = client.getRaw(at, Query.empty(), maxBytes);
        if (raw.isJson() && raw.bytes().length > 0 && isDirectoryListing(raw)) {
            Listing entries = client.list(at, Query.empty(), PageLimit.items(DIRECTORY_LIMIT));
            return Out.listing(entries, RepositoryTools::entry, DIRECTORY_LIMIT, DIRECTORY_LIMIT, "entries", null);
        }
        long size = raw.contentLength().orElse(raw.bytes().length);
        if (isBinary(raw.bytes())) {
            return Out.json(Out.object().put("path", path).put("commit", commit).put("binary", true).put("size", size)
                    .put("content_type", raw.contentType()));
        }
        String text = new String(raw.bytes(), StandardCharsets.UTF_8); // a character cut in half becomes U+FFFD
        if (!raw.truncated()) {
            return text;
        }
        return text + "\n\n[bbagent: showing the first " + raw.bytes().length + " of " + (raw.contentLength().isPresent()
                ? size + " bytes" : "more bytes") + " of " + path + "; pass a larger max_bytes (up to "
                + FILE_MAX_BYTES + ") to read more]";
    }

    private String mainBranch(ApiPath repo) {
        String main = client.get(repo).at("/mainbranch/name").asText("");
        if (main.isEmpty()) {
            throw new ToolError("the repository has no main branch (it is empty); pass commit");
        }
        return main;
    }

    /**
     * {@code /src/{commit}/{path}} cannot tell a branch name with slashes from the path that follows, so such a
     * branch is resolved to its head commit first.
     */
    private String resolvable(ApiPath repo, String commit) {
        if (!commit.contains("/")) {
            return commit;
        }
        String hash = client.get(repo.then("refs", "branches").thenPath(commit)).at("/target/hash").asText("");
        if (hash.isEmpty()) {
            throw new ToolError("branch '" + commit + "' has no head commit");
        }
        return hash;
    }

    /** A {@code /src} directory answer is a page of {@code commit_file}/{@code commit_directory} entries. */
    private boolean isDirectoryListing(RawContent raw) {
        try {
            JsonNode n = json.readTree(raw.bytes());
            JsonNode values = n.path("values");
            if (!n.has("pagelen") || !values.isArray()) {
                return false;
            }
            for (JsonNode v : values) {
                String type = v.path("type").asText();
                if (!type.equals("commit_file") && !type.equals("commit_directory")) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static JsonNode entry(JsonNode e) {
        ObjectNode out = Out.object();
        out.put("path", e.path("path").asText());
        out.put("type", e.path("type").asText().equals("commit_directory") ? "directory" : "file");
        if (e.has("size")) {
            out.set("size", e.get("size"));
        }
        return out;
    }

    private static boolean isBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, BINARY_SNIFF); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
