package dev.bbagent.fake.jira;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A comment on an issue, for tests to assert on.
 *
 * @param body the body as stored (an ADF document)
 * @param text the body flattened to text
 */
public record CommentView(String id, String issueKey, JiraUser author, JsonNode body, String text) {}
