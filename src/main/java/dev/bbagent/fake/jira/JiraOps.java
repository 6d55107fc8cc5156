package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bbagent.jira.Adf;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Every change to the fake's Jira, made the same way from the REST API and from a test's seeding, each followed by
 * the webhook events Jira Cloud sends for it: {@code jira:issue_created}; {@code comment_created} plus
 * {@code jira:issue_updated} ({@code issue_commented}) for a comment; {@code jira:issue_updated} with a
 * {@code changelog} for edits and transitions.
 */
final class JiraOps {

    private final Object lock = new Object();
    private final JiraModel model;
    private final JiraShapes shapes;
    private final JiraHooks hooks;

    JiraOps(JiraModel model, JiraShapes shapes, JiraHooks hooks) {
        this.model = model;
        this.shapes = shapes;
        this.hooks = hooks;
    }

    JiraModel model() {
        return model;
    }

    JiraShapes shapes() {
        return shapes;
    }

    <T> T locked(Supplier<T> action) {
        synchronized (lock) {
            return action.get();
        }
    }

    JiraModel.Issue create(JiraUser by, String projectKey, String type, String summary, JsonNode description,
            List<String> labels, String priority) {
        return locked(() -> {
            JiraModel.Project project = model.projects.get(projectKey);
            if (project == null) {
                throw JiraApiError.field("project", "Specify a valid project ID or key");
            }
            JiraModel.Issue i = model.create(project, type, summary, description, by);
            i.labels = new ArrayList<>(labels);
            if (priority != null) {
                i.priority = priority;
            }
            emit("jira:issue_created", i, shapes.issueEvent("jira:issue_created", "issue_created", i, by, now()));
            return i;
        });
    }

    JiraModel.Comment comment(JiraUser by, String key, JsonNode body) {
        return locked(() -> {
            JiraModel.Issue i = model.issue(key);
            JiraModel.Comment c = model.comment(i, by, body);
            emit("comment_created", i, shapes.commentEvent("comment_created", i, c, now()));
            ObjectNode updated = shapes.issueEvent("jira:issue_updated", "issue_commented", i, by, now());
            updated.set("comment", shapes.comment(i, c, "2"));
            emit("jira:issue_updated", i, updated);
            return c;
        });
    }

    JiraModel.Issue transition(JiraUser by, String key, JiraModel.Status to) {
        return locked(() -> {
            JiraModel.Issue i = model.issue(key);
            JiraModel.Status from = i.status;
            i.status = to;
            i.updated = now();
            emit("jira:issue_updated", i, shapes.updateEvent("issue_generic", i, by, now(), List.of(
                    new JiraShapes.Change("status", "status", from.id(), from.name(), to.id(), to.name()))));
            return i;
        });
    }

    /** Apply field changes (null: unchanged) and label changes; one {@code jira:issue_updated} lists them all. */
    JiraModel.Issue update(JiraUser by, String key, String summary, JsonNode description, String priority,
            JiraUser assignee, List<String> addLabels, List<String> removeLabels) {
        return locked(() -> {
            JiraModel.Issue i = model.issue(key);
            List<JiraShapes.Change> changes = new ArrayList<>();
            if (summary != null && !summary.equals(i.summary)) {
                changes.add(new JiraShapes.Change("summary", "summary", null, i.summary, null, summary));
                i.summary = summary;
            }
            if (description != null) {
                changes.add(new JiraShapes.Change("description", "description", null, Adf.toText(i.description), null,
                        Adf.toText(description)));
                i.description = description;
            }
            if (priority != null && !priority.equals(i.priority)) {
                changes.add(new JiraShapes.Change("priority", "priority", null, i.priority, null, priority));
                i.priority = priority;
            }
            if (assignee != null && !Objects.equals(assignee, i.assignee)) {
                changes.add(new JiraShapes.Change("assignee", "assignee", i.assignee == null ? null
                        : i.assignee.accountId(), i.assignee == null ? null : i.assignee.displayName(),
                        assignee.accountId(), assignee.displayName()));
                i.assignee = assignee;
            }
            List<String> labels = new ArrayList<>(i.labels);
            addLabels.stream().filter(l -> !labels.contains(l)).forEach(labels::add);
            labels.removeAll(removeLabels);
            if (!labels.equals(i.labels)) {
                changes.add(new JiraShapes.Change("labels", "labels", null, String.join(" ", i.labels), null,
                        String.join(" ", labels)));
                i.labels = labels;
            }
            if (!changes.isEmpty()) {
                i.updated = now();
                emit("jira:issue_updated", i, shapes.updateEvent("issue_updated", i, by, now(), changes));
            }
            return i;
        });
    }

    private void emit(String event, JiraModel.Issue i, ObjectNode payload) {
        hooks.send(event, i.project.key, payload.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Instant now() {
        return model.clock.instant();
    }
}
