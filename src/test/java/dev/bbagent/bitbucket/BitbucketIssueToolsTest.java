package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.bitbucket.RecordedRequest;
import dev.bbagent.mcp.ToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketIssueToolsTest {

    private static final String GONE = "Bitbucket Cloud removed Issues on 2026-08-20; track issues in Jira";

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
        f.fake.clearRequests();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void createIssueSendsTheIssueAndAnswersThatIssuesAreGone() {
        ToolResult r = f.call("create_issue", Fixture.repo("title", "Crash on start", "content", "Stack trace...",
                "kind", "BUG", "priority", "major"));

        assertGone(r, "POST /2.0/repositories/acme/widgets/issues");
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"title\":\"Crash on start\","
                + "\"content\":{\"raw\":\"Stack trace...\"},\"kind\":\"bug\",\"priority\":\"major\"}"));
    }

    @Test
    void createIssueCommentAnswersThatIssuesAreGone() {
        ToolResult r = f.call("create_issue_comment", Fixture.repo("issue_id", 7, "content", "Any news?"));

        assertGone(r, "POST /2.0/repositories/acme/widgets/issues/7/comments");
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"content\":{\"raw\":\"Any news?\"}}"));
    }

    @Test
    void updateIssueAnswersThatIssuesAreGone() {
        ToolResult r = f.call("update_issue", Fixture.repo("issue_id", 7, "state", "resolved", "title", "Fixed"));

        assertGone(r, "PUT /2.0/repositories/acme/widgets/issues/7");
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"title\":\"Fixed\",\"state\":\"resolved\"}"));
        ToolResult nothing = f.call("update_issue", Fixture.repo("issue_id", 7));
        assertThat(nothing.isError()).isTrue();
        assertThat(nothing.text()).startsWith("nothing to change");
    }

    @Test
    void deleteIssueAnswersThatIssuesAreGone() {
        assertGone(f.call("delete_issue", Fixture.repo("issue_id", 7)), "DELETE /2.0/repositories/acme/widgets/issues/7");
    }

    @Test
    void aBadEnumValueIsRefusedBeforeCallingBitbucket() {
        ToolResult r = f.call("create_issue", Fixture.repo("title", "x", "kind", "feature"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("'kind' must be one of [bug, enhancement, proposal, task]");
        assertThat(f.requests()).isEmpty();
    }

    private void assertGone(ToolResult r, String line) {
        assertThat(r.isError()).isTrue();
        assertThat(r.text()).startsWith(GONE).contains(line);
        RecordedRequest sent = f.last();
        assertThat(sent.line()).isEqualTo(line);
    }
}
