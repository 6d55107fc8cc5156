package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Matching happens at intake: matched rules are in the answer and their jobs are stored with the delivery. */
class IntakeRulesTest {

    @TempDir
    Path dir;

    private static List<String> jobs(TestServer server) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = server.app().store().file().readers().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT rule, state, thread, concurrency_key, rule_version, superseded_by FROM jobs ORDER BY id")) {
            while (rs.next()) {
                out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4) + " "
                        + rs.getString(5) + " " + rs.getLong(6));
            }
        }
        return out;
    }

    private TestServer server(String rules) throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules);
        return new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET));
    }

    @Test
    void anAcceptedDeliveryListsTheMatchedRulesAndQueuesTheirJobsWithIt() throws Exception {
        try (TestServer server = server("""
                version: 1
                rules:
                  - {name: review, on: [pull_request.opened], prompt: x, debounce: 1h}
                  - {name: by-repo, on: [pull_request.opened], prompt: x, concurrency: repo, debounce: 1h}
                  - {name: issues, on: [issue.created], prompt: x}
                """)) {
            byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

            Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", "m-1", body);

            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("rules").toString()).isEqualTo("[\"review\",\"by-repo\"]");
            String v = server.app().rules().current().version();
            assertThat(jobs(server)).containsExactly(
                    "review queued amuniz/test-repos#pr-735 amuniz/test-repos#pr-735 " + v + " 0",
                    "by-repo queued amuniz/test-repos#pr-735 amuniz/test-repos " + v + " 0");
            assertThat(server.app().store().get("m-1").orElseThrow().rules()).containsExactly("review", "by-repo");
        }
    }

    @Test
    void aDuplicateDeliveryQueuesNoSecondJob() throws Exception {
        try (TestServer server = server("version: 1\nrules:\n  - {name: review, on: [pull_request.opened], prompt: x}\n")) {
            byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

            server.deliver(Edition.CLOUD, "pullrequest:created", "d-1", body);
            server.deliver(Edition.CLOUD, "pullrequest:created", "d-1", body);

            assertThat(jobs(server)).hasSize(1);
        }
    }

    @Test
    void aNewerUpdateSupersedesTheQueuedOlderJob() throws Exception {
        // A debounce keeps the first job waiting in the queue, where a newer one can supersede it.
        try (TestServer server = server("version: 1\nrules:\n  - {name: review, on: [pull_request.updated], prompt: x, debounce: 1m}\n")) {
            byte[] body = Fixtures.named("cloud/pullrequest-updated__bbs-plugin.json").bytes();
            // The next update of the pull request: the same payload with a later updated_on.
            byte[] later = new String(body, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("2026-07-30T01:35:49.207341+00:00", "2026-07-30T01:36:12.000001+00:00")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(later).isNotEqualTo(body);

            server.deliver(Edition.CLOUD, "pullrequest:updated", "u-1", body);
            server.deliver(Edition.CLOUD, "pullrequest:updated", "u-2", later);

            List<String> jobs = jobs(server);
            assertThat(jobs.get(0)).startsWith("review superseded").endsWith(" 2");
            assertThat(jobs.get(1)).startsWith("review queued");
        }
    }

    @Test
    void aRuleOnAKeyBbagentDoesNotActOnMakesItAccepted() throws Exception {
        try (TestServer server = server("version: 1\nrules:\n  - {name: pushes, on: [\"repo:push\"], prompt: x}\n")) {
            byte[] body = Fixtures.named("cloud/repo-push__bbs-plugin-signed.json").bytes();

            Http.Response r = server.deliver(Edition.CLOUD, "repo:push", body);

            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("rules").get(0).asText()).isEqualTo("pushes");
        }
    }

    @Test
    void aConditionErrorIsCountedAndNeverFailsTheDelivery() throws Exception {
        try (TestServer server = server("""
                version: 1
                rules:
                  - {name: broken, on: [pull_request.opened], prompt: x, if: 'comment.text.contains("x")'}
                """)) {
            byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

            Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", body);

            assertThat(r.status()).isEqualTo(202);
            assertThat(r.json().get("rules")).isEmpty();
            assertThat(server.metric("bbagent_rule_errors_total", "rule=\"broken\"")).isEqualTo(1.0);
        }
    }
}
