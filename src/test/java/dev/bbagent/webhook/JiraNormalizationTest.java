package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Edition;
import dev.bbagent.event.Event;
import dev.bbagent.store.Delivery;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Jira Cloud and Data Center payloads become the same normalized issue events as Bitbucket's. */
class JiraNormalizationTest {

    private static final Map<String, String> MAPPED = Map.of("WEB", "acme/website");

    static byte[] fixture(String name) {
        try (InputStream in = JiraNormalizationTest.class.getResourceAsStream("/jira/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(fixture(name));
    }

    @Test
    void anIssueCreatedInJiraCloudBecomesIssueCreatedWithItsDescriptionFlattened() throws IOException {
        Event e = JiraParser.parse("jira:issue_created", "d1", json("issue_created.json"), MAPPED);

        assertThat(e.kind()).isEqualTo("issue.created");
        assertThat(e.edition()).isEqualTo(Edition.JIRA);
        assertThat(e.delivery()).isEqualTo("d1");
        assertThat(e.repository().fullName()).isEqualTo("acme/website");
        assertThat(e.thread()).isEqualTo("acme/website#issue-WEB-42");
        assertThat(e.actor().id()).isEqualTo("5b10a2844c20165700ede21g");
        assertThat(e.actor().name()).isEqualTo("Mia Krystof");
        assertThat(e.actor().bot()).isFalse();
        var i = e.issue();
        assertThat(i.id()).isEqualTo("WEB-42");
        assertThat(i.title()).isEqualTo("Login fails with SSO");
        assertThat(i.state()).isEqualTo("to do");
        assertThat(i.kind()).isEqualTo("Bug");
        assertThat(i.priority()).isEqualTo("High");
        assertThat(i.author().name()).isEqualTo("Mia Krystof");
        assertThat(i.assignee().id()).isEmpty();
        assertThat(i.labels()).containsExactly("login", "needs-triage");
        assertThat(i.url()).isEqualTo("https://acme.atlassian.net/browse/WEB-42");
        assertThat(i.project()).isEqualTo("WEB");
        assertThat(i.description()).isEqualTo("""
                ## Steps

                1. Open the login page (https://example.com/login)
                2. Choose SSO

                It answers:
                500 Internal Server Error

                ```text
                at AuthFilter.doFilter(AuthFilter.java:42)
                at Chain.next(Chain.java:7)
                ```

                - Browser: Firefox
                - Seen by @Ann Lee""");
        assertThat(i.descriptionRaw()).startsWith("{\"type\":\"doc\"");
        assertThat(e.comment()).isNull();
        assertThat(e.pullRequest()).isNull();
    }

    @Test
    void anIssueUpdateKeepsTheNewStateAndTheChangelogInThePayload() throws IOException {
        Event e = JiraParser.parse("jira:issue_updated", "d2", json("issue_updated.json"), MAPPED);

        assertThat(e.kind()).isEqualTo("issue.updated");
        assertThat(e.issue().state()).isEqualTo("in progress");
        assertThat(e.issue().assignee().name()).isEqualTo("Ann Lee");
        assertThat(e.issue().labels()).containsExactly("login");
        assertThat(e.actor().name()).isEqualTo("Ann Lee");
        Map<String, Object> view = e.toMap(true);
        assertThat(view.toString()).contains("changelog");
    }

    @Test
    void aCommentEventCarriesTheCommentWithItsBodyFlattenedAndItsAuthorAsActor() throws IOException {
        Event e = JiraParser.parse("comment_created", "d3", json("comment_created.json"), MAPPED);

        assertThat(e.kind()).isEqualTo("issue.comment_created");
        assertThat(e.issue().id()).isEqualTo("WEB-42");
        assertThat(e.issue().description()).isEmpty();
        assertThat(e.comment().id()).isEqualTo(10050);
        assertThat(e.comment().text()).isEqualTo("@bbagent can you reproduce this on `main`?");
        assertThat(e.comment().author().name()).isEqualTo("Ann Lee");
        assertThat(e.actor().id()).isEqualTo("5b10ac8d82e05b22cc7d4ef5");
        assertThat(e.thread()).isEqualTo("acme/website#issue-WEB-42");
    }

    @Test
    void aDataCenterIssueKeepsItsWikiMarkupAndItsSiteContextPath() throws IOException {
        Event e = JiraParser.parse("jira:issue_created", "d4", json("datacenter_issue_created.json"), Map.of());

        assertThat(e.issue().description()).isEqualTo("h2. Why\nThe certificate expires on *2026-02-01*.\n\n* renew\n* deploy");
        assertThat(e.issue().descriptionRaw()).isEqualTo(e.issue().description());
        assertThat(e.issue().url()).isEqualTo("https://jira.example.com/jira/browse/OPS-7");
        assertThat(e.actor().id()).isEqualTo("JIRAUSER10100");
        assertThat(e.issue().assignee().name()).isEqualTo("Ann Lee");
        assertThat(e.repository().fullName()).isEqualTo("jira-jira.example.com/ops");
    }

    @Test
    void aMappedProjectBelongsToItsRepositoryComparedIgnoringCase() {
        assertThat(JiraParser.repository("https://acme.atlassian.net", "WEB", Map.of("web", "acme/website")).fullName())
                .isEqualTo("acme/website");
    }

    @Test
    void anUnmappedProjectGetsARepositoryOfItsOwnPerJiraSite() throws IOException {
        Event e = JiraParser.parse("jira:issue_created", "d5", json("issue_created.json"), Map.of("OPS", "acme/ops"));

        assertThat(e.repository().workspace()).isEqualTo("jira-acme.atlassian.net");
        assertThat(e.repository().slug()).isEqualTo("web");
        assertThat(e.thread()).isEqualTo("jira-acme.atlassian.net/web#issue-WEB-42");
    }

    @Test
    void aStoredDeliveryIsReplayedWithTheRepositoryItWasMappedToAtIntake() {
        Delivery d = new Delivery("d6", "jira", "jira:issue_created", "issue.created", "acme/website",
                "acme/website#issue-WEB-42", "accepted", 1, Instant.now(), Map.of(), fixture("issue_created.json"), List.of());

        Event e = Replay.event(d);

        assertThat(e.edition()).isEqualTo(Edition.JIRA);
        assertThat(e.repository().fullName()).isEqualTo("acme/website");
        assertThat(e.thread()).isEqualTo("acme/website#issue-WEB-42");
        assertThat(e.issue().title()).isEqualTo("Login fails with SSO");
    }

    @Test
    void anIssueEventWithoutAnIssueIsMalformed() throws IOException {
        JsonNode body = new ObjectMapper().readTree("{\"webhookEvent\":\"jira:issue_created\",\"timestamp\":1}");

        assertThatThrownBy(() -> JiraParser.parse("jira:issue_created", "d7", body, Map.of()))
                .isInstanceOf(MalformedPayloadException.class).hasMessageContaining("no 'issue' object");
    }

    @Test
    void anEventBbagentDoesNotKnowIsKeptAsOther() throws IOException {
        JsonNode body = new ObjectMapper().readTree("{\"webhookEvent\":\"jira:version_released\",\"version\":{\"id\":\"1\"}}");

        Event e = JiraParser.parse("jira:version_released", "d8", body, Map.of());

        assertThat(e.kind()).isEqualTo("other");
        assertThat(e.actionable()).isFalse();
        assertThat(e.issue()).isNull();
    }
}
