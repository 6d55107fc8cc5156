package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.store.Delivery;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /webhooks/jira: signed, deduplicated, stored with its jobs, answered and counted like Bitbucket's route. */
class JiraWebhookTest {

    static final String JIRA_SECRET = "jira-s3cret";
    static final String RULES = """
            version: 1
            jira:
              projects: {WEB: acme/website}
            rules:
              - {name: triage, on: [issue.created], repos: ["acme/*"], prompt: "{{issue.id}}", debounce: 1h}
              - {name: elsewhere, on: [issue.created], repos: ["jira-*/*"], prompt: "{{issue.id}}", debounce: 1h}
            """;

    @TempDir
    Path dir;

    TestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private TestServer start(List<String> jiraSecrets, String bitbucketSecret) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, RULES);
        Settings s = Settings.forTests(dir.resolve("data"), file, bitbucketSecret).withJiraSecrets(jiraSecrets);
        server = new TestServer(s);
        return server;
    }

    static String[] headers(String identifier, String signature) {
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json; charset=utf-8",
                "User-Agent", "Atlassian Webhook HTTP Client"));
        if (identifier != null) {
            h.addAll(List.of("X-Atlassian-Webhook-Identifier", identifier));
        }
        if (signature != null) {
            h.addAll(List.of("X-Hub-Signature", signature));
        }
        return h.toArray(String[]::new);
    }

    private Http.Response deliver(byte[] body, String identifier, String secret) {
        return server.http().post("/webhooks/jira", body,
                headers(identifier, secret == null ? null : SignatureVerifier.sign(secret, body)));
    }

    @Test
    void aSignedIssueCreatedIsAcceptedStoredAndQueuedForTheRulesOfItsMappedRepository() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("issue_created.json");

        Http.Response r = deliver(body, "hook-1", JIRA_SECRET);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("status").asText()).isEqualTo("accepted");
        assertThat(r.json().get("delivery").asText()).isEqualTo("hook-1");
        assertThat(r.json().get("event").asText()).isEqualTo("issue.created");
        assertThat(r.json().get("rules").toString()).isEqualTo("[\"triage\"]");
        Delivery d = server.app().store().get("hook-1").orElseThrow();
        assertThat(d.edition()).isEqualTo("jira");
        assertThat(d.eventKey()).isEqualTo("jira:issue_created");
        assertThat(d.repo()).isEqualTo("acme/website");
        assertThat(d.thread()).isEqualTo("acme/website#issue-WEB-42");
        assertThat(d.headers()).doesNotContainKey("X-Hub-Signature");
        assertThat(new String(d.body(), StandardCharsets.UTF_8)).isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(server.app().jobs().jobs(null, null, null, 10)).singleElement()
                .satisfies(j -> assertThat(j.rule()).isEqualTo("triage"));
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"jira\",event=\"jira:issue_created\",outcome=\"accepted\"")).isEqualTo(1.0);
        assertThat(server.metric("bbagent_webhook_intake_seconds_count", "edition=\"jira\"")).isEqualTo(1.0);
    }

    @Test
    void anUnmappedProjectGoesToTheRepositoryOfItsJiraSite() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("datacenter_issue_created.json");

        Http.Response r = deliver(body, "hook-dc", JIRA_SECRET);

        assertThat(r.status()).isEqualTo(202);
        assertThat(r.json().get("rules").toString()).isEqualTo("[\"elsewhere\"]");
        assertThat(server.app().store().get("hook-dc").orElseThrow().repo()).isEqualTo("jira-jira.example.com/ops");
    }

    @Test
    void aWrongSignatureIsRefusedAndNothingIsStored() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("issue_created.json");

        Http.Response r = deliver(body, "hook-2", "not-the-secret");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("Jira webhook differs from JIRA_WEBHOOK_SECRET");
        assertThat(server.app().store().get("hook-2")).isEmpty();
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"jira\",event=\"other\",outcome=\"unauthorized\"")).isEqualTo(1.0);
    }

    @Test
    void aMissingSignatureIsRefused() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);

        Http.Response r = deliver(JiraNormalizationTest.fixture("issue_created.json"), "hook-3", null);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("missing X-Hub-Signature").contains("JIRA_WEBHOOK_SECRET");
    }

    @Test
    void theBitbucketSecretDoesNotOpenTheJiraRoute() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);

        Http.Response r = deliver(JiraNormalizationTest.fixture("issue_created.json"), "hook-4", TestServer.SECRET);

        assertThat(r.status()).isEqualTo(401);
    }

    @Test
    void withoutAJiraSecretEveryDeliveryIsRefusedWithWhatToSet() throws Exception {
        start(List.of(), TestServer.SECRET);

        Http.Response r = deliver(JiraNormalizationTest.fixture("issue_created.json"), "hook-5", JIRA_SECRET);

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).isEqualTo("no webhook secret is configured; set JIRA_WEBHOOK_SECRET");
    }

    @Test
    void aRotationAcceptsEitherSecret() throws Exception {
        start(List.of("new-secret", JIRA_SECRET), TestServer.SECRET);
        // Two events: the same one twice would be stored once with jobs (duplicate_event).
        assertThat(deliver(JiraNormalizationTest.fixture("issue_created.json"), "hook-6", JIRA_SECRET).status())
                .isEqualTo(202);
        assertThat(deliver(JiraNormalizationTest.fixture("issue_updated.json"), "hook-7", "new-secret").status())
                .isEqualTo(202);
    }

    @Test
    void aRedeliveredIdentifierIsADuplicateAndQueuesNothingNew() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("issue_created.json");

        Http.Response first = deliver(body, "hook-8", JIRA_SECRET);
        Http.Response again = deliver(body, "hook-8", JIRA_SECRET);

        assertThat(first.status()).isEqualTo(202);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(server.app().jobs().jobs(null, null, null, 10)).hasSize(1);
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"jira\",event=\"jira:issue_created\",outcome=\"duplicate\"")).isEqualTo(1.0);
    }

    @Test
    void theSameEventThroughASecondJiraWebhookQueuesNothingNew() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("issue_created.json");

        Http.Response first = deliver(body, "hook-9", JIRA_SECRET);
        Http.Response other = deliver(body, "other-hook-1", JIRA_SECRET);

        assertThat(first.status()).isEqualTo(202);
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.json().get("status").asText()).isEqualTo("duplicate_event");
        assertThat(other.json().get("same_event_as").asText()).isEqualTo("hook-9");
        assertThat(server.app().jobs().jobs(null, null, null, 10)).hasSize(1);
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"jira\",event=\"jira:issue_created\",outcome=\"duplicate_event\"")).isEqualTo(1.0);
    }

    @Test
    void withoutAnIdentifierTheSameBodyIsTheSameDelivery() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = JiraNormalizationTest.fixture("issue_created.json");

        Http.Response first = deliver(body, null, JIRA_SECRET);
        Http.Response again = deliver(body, null, JIRA_SECRET);

        assertThat(first.json().get("delivery").asText()).startsWith("sha256:");
        assertThat(again.json().get("status").asText()).isEqualTo("duplicate");
    }

    @Test
    void aBodyWithoutWebhookEventIsMalformed() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);

        Http.Response r = deliver("{\"timestamp\":1}".getBytes(StandardCharsets.UTF_8), "hook-9", JIRA_SECRET);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("webhookEvent");
    }

    @Test
    void anEventBbagentDoesNotActOnIsStoredAndIgnored() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);
        byte[] body = "{\"timestamp\":1,\"webhookEvent\":\"jira:version_released\",\"version\":{\"id\":\"3\"}}"
                .getBytes(StandardCharsets.UTF_8);

        Http.Response r = deliver(body, "hook-10", JIRA_SECRET);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ignored");
        assertThat(server.app().store().get("hook-10")).isPresent();
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"jira\",event=\"other\",outcome=\"ignored\"")).isEqualTo(1.0);
    }

    @Test
    void aJiraOnlyServerRefusesBitbucketDeliveries() throws Exception {
        start(List.of(JIRA_SECRET), null);
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.http().post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Event-Key", "repo:push");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("BITBUCKET_WEBHOOK_SECRET");
    }

    @Test
    void formDataIsRefusedLikeOnTheBitbucketRoute() throws Exception {
        start(List.of(JIRA_SECRET), TestServer.SECRET);

        Http.Response r = server.http().post("/webhooks/jira", "a=b".getBytes(StandardCharsets.UTF_8),
                "Content-Type", "application/x-www-form-urlencoded");

        assertThat(r.status()).isEqualTo(415);
    }
}
