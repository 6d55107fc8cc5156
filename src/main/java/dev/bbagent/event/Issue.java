package dev.bbagent.event;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An issue as of the event: a (historic) Bitbucket Cloud issue or a Jira issue.
 *
 * @param id the issue number as text ("7") for Bitbucket, the issue key ("PROJ-123") for Jira
 * @param state lower case as the tracker names it (new, open, resolved; or the Jira status name)
 * @param kind bug, enhancement, proposal, task; or the Jira issue type
 * @param descriptionRaw the description as the tracker sent it: Bitbucket's raw text, Jira's Atlassian Document
 *     Format as JSON text (Cloud) or wiki markup (Data Center); {@code description} is its plain-text form
 * @param project the Jira project key ({@code PROJ}), empty for Bitbucket issues
 */
public record Issue(
        String id,
        String title,
        String description,
        String state,
        String kind,
        String priority,
        Person author,
        Person assignee,
        List<String> labels,
        String url,
        String descriptionRaw,
        String project) {

    /** A Bitbucket issue: the raw description is the description, and there is no project. */
    public Issue(String id, String title, String description, String state, String kind, String priority,
            Person author, Person assignee, List<String> labels, String url) {
        this(id, title, description, state, kind, priority, author, assignee, labels, url, description, "");
    }

    public Issue {
        id = id == null ? "" : id;
        title = title == null ? "" : title;
        description = description == null ? "" : description;
        state = state == null ? "" : state;
        kind = kind == null ? "" : kind;
        priority = priority == null ? "" : priority;
        author = Objects.requireNonNullElse(author, Person.UNKNOWN);
        assignee = Objects.requireNonNullElse(assignee, Person.UNKNOWN);
        labels = labels == null ? List.of() : List.copyOf(labels);
        url = url == null ? "" : url;
        descriptionRaw = descriptionRaw == null ? description : descriptionRaw;
        project = project == null ? "" : project;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("title", title);
        m.put("description", description);
        m.put("description_raw", descriptionRaw);
        m.put("state", state);
        m.put("kind", kind);
        m.put("priority", priority);
        m.put("author", author.toMap());
        m.put("assignee", assignee.toMap());
        m.put("labels", labels);
        m.put("url", url);
        m.put("project", project);
        return m;
    }
}
