package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An issue as the fake holds it now, for tests to assert on.
 *
 * @param description the description as stored: an ADF document, or null
 * @param descriptionText the description flattened to text
 * @param assignee null when unassigned
 */
public record IssueView(String id, String key, String project, String summary, JsonNode description,
        String descriptionText, String status, String type, String priority, JiraUser reporter, JiraUser assignee,
        List<String> labels) {

    public IssueView {
        labels = List.copyOf(labels);
    }
}
