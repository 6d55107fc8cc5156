package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.jira.Adf;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The fake's in-memory Jira: users and their API tokens, projects, issues with ADF descriptions, comments, and one
 * workflow (To Do, In Progress, Done; a transition to each status from any other). Not thread-safe by itself:
 * {@link FakeJira} holds its lock around every use.
 */
final class JiraModel {

    /** A status of the workflow, and the transition that leads to it. */
    record Status(String id, String name, String categoryKey, String categoryName, String transitionId) {}

    static final List<Status> WORKFLOW = List.of(
            new Status("10000", "To Do", "new", "To Do", "11"),
            new Status("3", "In Progress", "indeterminate", "In Progress", "21"),
            new Status("10001", "Done", "done", "Done", "31"));
    static final List<String> TYPES = List.of("Task", "Bug", "Story", "Epic");
    static final List<String> PRIORITIES = List.of("Highest", "High", "Medium", "Low", "Lowest");

    static final class Project {
        final String id;
        final String key;
        final String name;
        int nextNumber = 1;

        Project(String id, String key, String name) {
            this.id = id;
            this.key = key;
            this.name = name;
        }
    }

    static final class Comment {
        final long id;
        final JiraUser author;
        JsonNode body;
        final Instant created;
        Instant updated;

        Comment(long id, JiraUser author, JsonNode body, Instant created) {
            this.id = id;
            this.author = author;
            this.body = body;
            this.created = created;
            this.updated = created;
        }
    }

    static final class Issue {
        final long id;
        final String key;
        final Project project;
        String summary;
        JsonNode description;
        Status status = WORKFLOW.getFirst();
        String type;
        String priority = "Medium";
        final JiraUser reporter;
        JiraUser assignee;
        List<String> labels = new ArrayList<>();
        final Instant created;
        Instant updated;
        final List<Comment> comments = new ArrayList<>();

        Issue(long id, String key, Project project, String type, String summary, JsonNode description,
                JiraUser reporter, Instant created) {
            this.id = id;
            this.key = key;
            this.project = project;
            this.type = type;
            this.summary = summary;
            this.description = description;
            this.reporter = reporter;
            this.created = created;
            this.updated = created;
        }

        IssueView view() {
            return new IssueView(Long.toString(id), key, project.key, summary, description, Adf.toText(description),
                    status.name(), type, priority, reporter, assignee, labels);
        }
    }

    final Clock clock;
    final Map<String, JiraUser> users = new LinkedHashMap<>();
    /** Email to API token to account. */
    final Map<String, Map<String, JiraUser>> tokens = new LinkedHashMap<>();
    final Map<String, Project> projects = new LinkedHashMap<>();
    final Map<String, Issue> issues = new LinkedHashMap<>();
    private long nextIssueId = 10_000;
    private long nextCommentId = 10_000;
    private long nextProjectId = 10_000;

    JiraModel(Clock clock) {
        this.clock = clock;
    }

    JiraUser user(String displayName, String accountType) {
        String email = displayName.toLowerCase().replaceAll("[^a-z0-9]+", ".") + "@example.com";
        JiraUser u = new JiraUser("712020:" + UUID.randomUUID(), displayName, email, accountType);
        users.put(u.accountId(), u);
        return u;
    }

    Project project(String key, String name) {
        return projects.computeIfAbsent(key, k -> new Project(Long.toString(nextProjectId++), k, name));
    }

    Issue issue(String key) {
        Issue i = issues.get(key == null ? "" : key.toUpperCase());
        if (i == null) {
            throw JiraApiError.issueNotFound();
        }
        return i;
    }

    Issue create(Project project, String type, String summary, JsonNode description, JiraUser reporter) {
        Issue i = new Issue(nextIssueId++, project.key + "-" + project.nextNumber++, project, type, summary, description,
                reporter, clock.instant());
        issues.put(i.key, i);
        return i;
    }

    Comment comment(Issue issue, JiraUser author, JsonNode body) {
        Comment c = new Comment(nextCommentId++, author, body, clock.instant());
        issue.comments.add(c);
        issue.updated = c.created;
        return c;
    }

    static Status status(String name) {
        return WORKFLOW.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no status '" + name + "' in the fake's workflow "
                        + WORKFLOW.stream().map(Status::name).toList()));
    }

    /** The transitions an issue can take now: to every status but its own. */
    static List<Status> transitions(Issue issue) {
        return WORKFLOW.stream().filter(s -> s != issue.status).toList();
    }
}
