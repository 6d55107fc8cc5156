package dev.bbagent.agent;

import dev.bbagent.event.Event;
import dev.bbagent.mcp.ToolSpec;
import dev.bbagent.rules.RunSettings;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The safety net of an agent with no approval step: every tool call is checked before it runs, in this
 * order: the rule's allowlist, destructive tools, the scope guard on arguments, the per-run write budget.
 * (The loop breaker across runs is checked by the runner, which knows the thread's recent writes.)
 */
final class ToolPolicy {

    private static final Pattern DESTRUCTIVE_NAME =
            Pattern.compile("^(delete|remove|destroy|drop|merge|decline|purge|archive)_.*|.*_(delete|destroy)$");

    /** The policy's verdict; {@code reason} is what the model is told when denied. */
    record Verdict(boolean allowed, String reason) {
        static final Verdict ALLOWED = new Verdict(true, "allowed");

        static Verdict deny(String reason) {
            return new Verdict(false, reason);
        }
    }

    private final RunSettings settings;
    private final Event event;
    private final List<PathMatcher> allowed;
    private final List<PathMatcher> destructiveAllowed;

    ToolPolicy(RunSettings settings, Event event) {
        this.settings = settings;
        this.event = event;
        this.allowed = globs(settings.tools());
        this.destructiveAllowed = globs(settings.allowDestructive());
    }

    private static List<PathMatcher> globs(List<String> names) {
        return names.stream().map(n -> FileSystems.getDefault().getPathMatcher("glob:" + n.replace('/', '_'))).toList();
    }

    int maxWrites() {
        return settings.maxWrites();
    }

    /** Whether a tool is offered to the model at all. */
    boolean offered(String server, String tool) {
        Path p = Path.of(server + "." + tool.replace('/', '_'));
        return allowed.stream().anyMatch(g -> g.matches(p));
    }

    static boolean isWrite(ToolSpec spec) {
        return !spec.readOnly();
    }

    static boolean isDestructive(ToolSpec spec) {
        return !spec.readOnly() && (spec.destructive() || DESTRUCTIVE_NAME.matcher(spec.name()).matches());
    }

    Verdict check(String server, ToolSpec spec, Map<String, Object> args, int writesSoFar) {
        String name = server + "." + spec.name();
        if (!offered(server, spec.name())) {
            return Verdict.deny("denied: " + name + " is not in this rule's tools; use only the tools you were given");
        }
        if (isDestructive(spec)) {
            Path p = Path.of(server + "." + spec.name().replace('/', '_'));
            if (destructiveAllowed.stream().noneMatch(g -> g.matches(p))) {
                return Verdict.deny("denied: " + name + " can delete or overwrite data and this rule does not list it "
                        + "under allow_destructive");
            }
        }
        String scope = scopeProblem(args);
        if (scope != null) {
            return Verdict.deny("denied by the scope guard: " + scope);
        }
        if (isWrite(spec) && writesSoFar >= settings.maxWrites()) {
            return budgetSpent();
        }
        return Verdict.ALLOWED;
    }

    /** The denial when the run's write budget is used up. */
    Verdict budgetSpent() {
        return Verdict.deny("denied: this run already made the most changes this rule allows (max_writes: "
                + settings.maxWrites() + "); finish with what you have");
    }

    /**
     * Arguments that name a workspace, repository, pull request or issue must match the triggering event; a Jira
     * {@code project_key} must be the triggering Jira issue's project (checked when the event has one).
     */
    private String scopeProblem(Map<String, Object> args) {
        String scope = settings.scope();
        if (scope.equals("any") || args == null) {
            return null;
        }
        String ws = text(args.get("workspace"));
        if (ws != null && !ws.equalsIgnoreCase(event.repository().workspace())) {
            return "workspace '" + ws + "' is not this event's workspace '" + event.repository().workspace() + "'";
        }
        if (scope.equals("workspace")) {
            return null;
        }
        String slug = text(args.get("repo_slug"));
        if (slug != null && !slug.equalsIgnoreCase(event.repository().slug())) {
            return "repository '" + slug + "' is not this event's repository '" + event.repository().slug() + "'";
        }
        String full = text(args.get("repository"));
        if (full != null && full.contains("/") && !full.equalsIgnoreCase(event.repository().fullName())) {
            return "repository '" + full + "' is not this event's repository '" + event.repository().fullName() + "'";
        }
        if (full != null && !full.contains("/") && !full.equalsIgnoreCase(event.repository().slug())) {
            // Data Center toolsets (e.g. @nexus2520/bitbucket-mcp-server) name the repository slug "repository".
            return "repository '" + full + "' is not this event's repository '" + event.repository().slug() + "'";
        }
        String project = text(args.get("project_key"));
        if (project != null && event.issue() != null && !event.issue().project().isEmpty()
                && !project.equalsIgnoreCase(event.issue().project())) {
            // a Jira project stands for the repository it is mapped to
            return "Jira project '" + project + "' is not this event's project '" + event.issue().project() + "'";
        }
        if (scope.equals("repository")) {
            return null;
        }
        String pr = text(args.get("pull_request_id"));
        if (pr != null) {
            if (event.pullRequest() == null) {
                return "this event is not about a pull request, so no pull_request_id may be named";
            }
            if (!pr.equals(Long.toString(event.pullRequest().id()))) {
                return "pull request " + pr + " is not this event's pull request " + event.pullRequest().id();
            }
        }
        String issue = text(args.containsKey("issue_id") ? args.get("issue_id") : args.get("issue_key"));
        if (issue != null) {
            if (event.issue() == null) {
                return "this event is not about an issue, so no issue may be named";
            }
            if (!issue.equalsIgnoreCase(event.issue().id())) {
                return "issue " + issue + " is not this event's issue " + event.issue().id();
            }
        }
        return null;
    }

    private static String text(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Number n) {
            return Long.toString(n.longValue());
        }
        String s = v.toString().trim();
        return s.isEmpty() ? null : s;
    }
}
