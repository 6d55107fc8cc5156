package dev.bbagent.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The catalog of raw event keys bbagent knows, per edition, and the normalized kind each maps to.
 * Keys come from ../shared/BITBUCKET.md (Cloud spec enum, Data Center event payload page).
 */
public final class EventKinds {

    public static final String PING = "diagnostics:ping";

    private static final Map<String, String> CLOUD = new LinkedHashMap<>();
    private static final Map<String, String> DATACENTER = new LinkedHashMap<>();
    private static final Map<String, String> JIRA = new LinkedHashMap<>();

    static {
        CLOUD.put("pullrequest:created", "pull_request.opened");
        CLOUD.put("pullrequest:updated", "pull_request.updated");
        CLOUD.put("pullrequest:push", "pull_request.pushed");
        CLOUD.put("pullrequest:fulfilled", "pull_request.merged");
        CLOUD.put("pullrequest:rejected", "pull_request.declined");
        CLOUD.put("pullrequest:approved", "pull_request.approved");
        CLOUD.put("pullrequest:unapproved", "pull_request.unapproved");
        CLOUD.put("pullrequest:changes_request_created", "pull_request.changes_requested");
        CLOUD.put("pullrequest:changes_request_removed", "pull_request.changes_request_removed");
        CLOUD.put("pullrequest:comment_created", "pull_request.comment_created");
        CLOUD.put("pullrequest:comment_updated", "pull_request.comment_updated");
        CLOUD.put("pullrequest:comment_deleted", "pull_request.comment_deleted");
        CLOUD.put("pullrequest:comment_resolved", "pull_request.comment_resolved");
        CLOUD.put("pullrequest:comment_reopened", "pull_request.comment_reopened");
        CLOUD.put("issue:created", "issue.created");
        CLOUD.put("issue:updated", "issue.updated");
        CLOUD.put("issue:comment_created", "issue.comment_created");
        CLOUD.put("repo:push", "repo.push");
        CLOUD.put("repo:fork", "repo.fork");
        CLOUD.put("repo:updated", "repo.updated");
        CLOUD.put("repo:created", "repo.created");
        CLOUD.put("repo:deleted", "repo.deleted");
        CLOUD.put("repo:imported", "repo.imported");
        CLOUD.put("repo:transfer", "repo.transfer");
        CLOUD.put("repo:commit_comment_created", "repo.commit_comment_created");
        CLOUD.put("repo:commit_status_created", "repo.commit_status_created");
        CLOUD.put("repo:commit_status_updated", "repo.commit_status_updated");
        CLOUD.put("project:updated", "project.updated");
        CLOUD.put("pipeline:span_created", "pipeline.span_created");

        DATACENTER.put("pr:opened", "pull_request.opened");
        DATACENTER.put("pr:from_ref_updated", "pull_request.updated");
        DATACENTER.put("pr:modified", "pull_request.updated");
        DATACENTER.put("pr:merged", "pull_request.merged");
        DATACENTER.put("pr:declined", "pull_request.declined");
        DATACENTER.put("pr:deleted", "pull_request.deleted");
        DATACENTER.put("pr:reviewer:updated", "pull_request.reviewers_updated");
        DATACENTER.put("pr:reviewer:approved", "pull_request.approved");
        DATACENTER.put("pr:reviewer:unapproved", "pull_request.unapproved");
        DATACENTER.put("pr:reviewer:changes_requested", "pull_request.changes_requested");
        DATACENTER.put("pr:reviewer:needs_work", "pull_request.changes_requested");
        DATACENTER.put("pr:comment:added", "pull_request.comment_created");
        DATACENTER.put("pr:comment:edited", "pull_request.comment_updated");
        DATACENTER.put("pr:comment:deleted", "pull_request.comment_deleted");
        DATACENTER.put("repo:refs_changed", "repo.push");
        DATACENTER.put("repo:modified", "repo.updated");
        DATACENTER.put("repo:forked", "repo.fork");
        DATACENTER.put("repo:comment:added", "repo.commit_comment_created");
        DATACENTER.put("repo:comment:edited", "repo.commit_comment_updated");
        DATACENTER.put("repo:comment:deleted", "repo.commit_comment_deleted");
        DATACENTER.put("repo:secret_detected", "repo.secret_detected");
        DATACENTER.put("mirror:repo_synchronized", "repo.mirror_synchronized");
        DATACENTER.put("project:modified", "project.updated");
        DATACENTER.put(PING, "ping");

        JIRA.put("jira:issue_created", "issue.created");
        JIRA.put("jira:issue_updated", "issue.updated");
        JIRA.put("jira:issue_deleted", "issue.deleted");
        JIRA.put("comment_created", "issue.comment_created");
        JIRA.put("comment_updated", "issue.comment_updated");
        JIRA.put("comment_deleted", "issue.comment_deleted");
    }

    private EventKinds() {}

    /** The normalized kind of a raw key for an edition, or "other" for a key bbagent does not know. */
    public static String kindOf(Edition edition, String key) {
        String kind = table(edition).get(key);
        return kind == null ? "other" : kind;
    }

    /** Whether the key is one bbagent knows for that edition. */
    public static boolean isKnown(Edition edition, String key) {
        return table(edition).containsKey(key);
    }

    /** Whether the key is known for any edition (used to keep metric labels bounded). */
    public static boolean isKnownAnywhere(String key) {
        return CLOUD.containsKey(key) || DATACENTER.containsKey(key) || JIRA.containsKey(key);
    }

    /** Which edition a raw key belongs to when headers do not tell, or null when no edition knows it. */
    public static Edition editionOfKey(String key) {
        if (CLOUD.containsKey(key)) {
            return Edition.CLOUD;
        }
        if (DATACENTER.containsKey(key)) {
            return Edition.DATACENTER;
        }
        if (JIRA.containsKey(key)) {
            return Edition.JIRA;
        }
        return null;
    }

    /** Kinds bbagent runs rules for: everything about pull requests and issues. */
    public static boolean isActionable(String kind) {
        return kind.startsWith("pull_request.") || kind.startsWith("issue.");
    }

    /** Every raw key of every edition, sorted. */
    public static Set<String> allKeys() {
        Set<String> all = new TreeSet<>(CLOUD.keySet());
        all.addAll(DATACENTER.keySet());
        all.addAll(JIRA.keySet());
        return Collections.unmodifiableSet(all);
    }

    /** Every normalized kind, sorted. */
    public static Set<String> allKinds() {
        Set<String> all = new TreeSet<>(CLOUD.values());
        all.addAll(DATACENTER.values());
        all.addAll(JIRA.values());
        all.remove("ping");
        return Collections.unmodifiableSet(all);
    }

    /** Raw key to kind for one edition, in catalog order. */
    public static Map<String, String> table(Edition edition) {
        return Collections.unmodifiableMap(
                switch (edition) {
                    case CLOUD -> CLOUD;
                    case DATACENTER -> DATACENTER;
                    case JIRA -> JIRA;
                });
    }
}
