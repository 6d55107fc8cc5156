package dev.bbagent.bitbucket;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The compact, model-friendly forms of Bitbucket's objects: ids, titles, states, branches, authors, web URLs
 * ({@code links.html} as {@code url}), timestamps, comment text and inline anchors, without the links, avatars
 * and rendered HTML that make the API's answers 20 KB each. Absent or null fields are left out.
 */
final class Compact {

    private Compact() {}

    static JsonNode account(JsonNode a) {
        if (a == null || a.isMissingNode() || a.isNull()) {
            return null;
        }
        ObjectNode out = Out.object();
        copy(out, "display_name", a, "/display_name");
        copy(out, "nickname", a, "/nickname");
        copy(out, "account_id", a, "/account_id");
        copy(out, "uuid", a, "/uuid");
        if ("app_user".equals(a.path("type").asText())) {
            out.put("type", "app_user");
        }
        return out;
    }

    /** {@code GET /user}. */
    static JsonNode user(JsonNode u) {
        ObjectNode out = (ObjectNode) account(u);
        out.put("type", u.path("type").asText());
        copy(out, "url", u, "/links/html/href");
        copy(out, "created_on", u, "/created_on");
        return out;
    }

    /** An entry of {@code GET /user/workspaces} ({@code workspace_access}) or a workspace object. */
    static JsonNode workspace(JsonNode w) {
        JsonNode ws = w.has("workspace") ? w.get("workspace") : w;
        ObjectNode out = Out.object();
        copy(out, "slug", ws, "/slug");
        copy(out, "name", ws, "/name");
        copy(out, "uuid", ws, "/uuid");
        copy(out, "administrator", w, "/administrator");
        copy(out, "url", ws, "/links/html/href");
        return out;
    }

    /** An entry of {@code GET /workspaces/{ws}/members}: the member's account. */
    static JsonNode member(JsonNode m) {
        return account(m.path("user"));
    }

    static JsonNode repository(JsonNode r) {
        ObjectNode out = Out.object();
        copy(out, "full_name", r, "/full_name");
        copy(out, "slug", r, "/slug");
        copy(out, "name", r, "/name");
        copy(out, "description", r, "/description");
        copy(out, "is_private", r, "/is_private");
        copy(out, "mainbranch", r, "/mainbranch/name");
        copy(out, "project", r, "/project/key");
        copy(out, "language", r, "/language");
        copy(out, "created_on", r, "/created_on");
        copy(out, "updated_on", r, "/updated_on");
        copy(out, "uuid", r, "/uuid");
        copy(out, "url", r, "/links/html/href");
        return out;
    }

    static JsonNode branch(JsonNode b) {
        ObjectNode out = Out.object();
        copy(out, "name", b, "/name");
        copy(out, "commit", b, "/target/hash");
        copy(out, "date", b, "/target/date");
        copy(out, "message", b, "/target/message");
        copy(out, "url", b, "/links/html/href");
        return out;
    }

    /** A pull request in a list: what tells it apart, without description and participants. */
    static JsonNode pullRequestSummary(JsonNode pr) {
        ObjectNode out = Out.object();
        copy(out, "id", pr, "/id");
        copy(out, "title", pr, "/title");
        copy(out, "state", pr, "/state");
        copy(out, "draft", pr, "/draft");
        set(out, "author", account(pr.path("author")));
        copy(out, "source_branch", pr, "/source/branch/name");
        copy(out, "destination_branch", pr, "/destination/branch/name");
        copy(out, "comment_count", pr, "/comment_count");
        copy(out, "created_on", pr, "/created_on");
        copy(out, "updated_on", pr, "/updated_on");
        copy(out, "url", pr, "/links/html/href");
        return out;
    }

    /** A pull request in full: description, both ends with their commits, reviewers and their verdicts. */
    static JsonNode pullRequest(JsonNode pr) {
        ObjectNode out = Out.object();
        copy(out, "id", pr, "/id");
        copy(out, "title", pr, "/title");
        copy(out, "description", pr, "/description");
        copy(out, "state", pr, "/state");
        copy(out, "draft", pr, "/draft");
        set(out, "author", account(pr.path("author")));
        out.set("source", end(pr.path("source")));
        out.set("destination", end(pr.path("destination")));
        copy(out, "merge_commit", pr, "/merge_commit/hash");
        copy(out, "close_source_branch", pr, "/close_source_branch");
        set(out, "closed_by", account(pr.path("closed_by")));
        ArrayNode reviewers = Out.array();
        pr.path("reviewers").forEach(r -> reviewers.add(r.path("display_name").asText()));
        out.set("reviewers", reviewers);
        ArrayNode participants = Out.array();
        pr.path("participants").forEach(p -> participants.add(participant(p)));
        out.set("participants", participants);
        copy(out, "comment_count", pr, "/comment_count");
        copy(out, "task_count", pr, "/task_count");
        copy(out, "created_on", pr, "/created_on");
        copy(out, "updated_on", pr, "/updated_on");
        copy(out, "url", pr, "/links/html/href");
        return out;
    }

    /** A participant: who, as reviewer or participant, and whether they approved or requested changes. */
    static JsonNode participant(JsonNode p) {
        ObjectNode out = Out.object();
        copy(out, "display_name", p, "/user/display_name");
        copy(out, "account_id", p, "/user/account_id");
        copy(out, "role", p, "/role");
        copy(out, "approved", p, "/approved");
        copy(out, "state", p, "/state");
        copy(out, "participated_on", p, "/participated_on");
        return out;
    }

    /** A pull-request or snippet comment, with its inline anchor and parent. */
    static JsonNode comment(JsonNode c) {
        ObjectNode out = Out.object();
        copy(out, "id", c, "/id");
        set(out, "author", account(c.path("user")));
        copy(out, "content", c, "/content/raw");
        JsonNode inline = c.path("inline");
        if (inline.isObject()) {
            ObjectNode anchor = out.putObject("inline");
            copy(anchor, "path", inline, "/path");
            copy(anchor, "from", inline, "/from");
            copy(anchor, "to", inline, "/to");
            copy(anchor, "start_from", inline, "/start_from");
            copy(anchor, "start_to", inline, "/start_to");
            copy(anchor, "outdated", inline, "/outdated");
        }
        copy(out, "parent_id", c, "/parent/id");
        if (c.path("deleted").asBoolean(false)) {
            out.put("deleted", true);
        }
        if (c.path("pending").asBoolean(false)) {
            out.put("pending", true);
        }
        if (c.path("resolution").isObject()) {
            out.put("resolved", true);
        }
        copy(out, "created_on", c, "/created_on");
        copy(out, "updated_on", c, "/updated_on");
        copy(out, "url", c, "/links/html/href");
        return out;
    }

    static JsonNode snippet(JsonNode s) {
        ObjectNode out = Out.object();
        copy(out, "id", s, "/id");
        copy(out, "title", s, "/title");
        copy(out, "is_private", s, "/is_private");
        set(out, "owner", account(s.path("owner")));
        ArrayNode files = Out.array();
        s.path("files").fieldNames().forEachRemaining(files::add);
        out.set("files", files);
        copy(out, "created_on", s, "/created_on");
        copy(out, "updated_on", s, "/updated_on");
        copy(out, "url", s, "/links/html/href");
        return out;
    }

    /** An issue, for Bitbucket-compatible servers that still have them. */
    static JsonNode issue(JsonNode i) {
        ObjectNode out = Out.object();
        copy(out, "id", i, "/id");
        copy(out, "title", i, "/title");
        copy(out, "state", i, "/state");
        copy(out, "kind", i, "/kind");
        copy(out, "priority", i, "/priority");
        copy(out, "content", i, "/content/raw");
        set(out, "reporter", account(i.path("reporter")));
        set(out, "assignee", account(i.path("assignee")));
        copy(out, "created_on", i, "/created_on");
        copy(out, "updated_on", i, "/updated_on");
        copy(out, "url", i, "/links/html/href");
        return out;
    }

    /** A {@code diffstat} entry: status, path (and the old path of a rename), line counts. */
    static JsonNode diffstat(JsonNode d) {
        ObjectNode out = Out.object();
        copy(out, "status", d, "/status");
        String newPath = d.at("/new/path").asText("");
        String oldPath = d.at("/old/path").asText("");
        out.put("path", newPath.isEmpty() ? oldPath : newPath);
        if (!oldPath.isEmpty() && !newPath.isEmpty() && !oldPath.equals(newPath)) {
            out.put("old_path", oldPath);
        }
        copy(out, "lines_added", d, "/lines_added");
        copy(out, "lines_removed", d, "/lines_removed");
        return out;
    }

    private static JsonNode end(JsonNode e) {
        ObjectNode out = Out.object();
        copy(out, "branch", e, "/branch/name");
        copy(out, "commit", e, "/commit/hash");
        copy(out, "repository", e, "/repository/full_name");
        return out;
    }

    /** Copy the value at a JSON pointer unless it is missing, null or an empty string. */
    private static void copy(ObjectNode out, String key, JsonNode source, String pointer) {
        set(out, key, source.at(pointer));
    }

    private static void set(ObjectNode out, String key, JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return;
        }
        out.set(key, value);
    }
}
