package dev.bbagent.cli;

import static dev.bbagent.cli.CliTest.capture;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RulesCommandsTest {

    private static final String FIXTURES = "../shared/fixtures/bitbucket/";

    @TempDir
    Path dir;

    @Test
    void validateSaysOkForTheShippedRules() {
        String[] r = capture(() -> Main.run("validate", "--rules", "config/rules.yaml"));

        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).startsWith("OK: 4 rules in config/rules.yaml");
    }

    @Test
    void validatePrintsEveryProblemAndExits1() throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "version: 1\nrules:\n  - name: a\n    on: [nope]\n    prompt: \"{{nothing}}\"\n");

        String[] r = capture(() -> Main.run("validate", "--rules", bad.toString()));

        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains(bad + ":4: rules[0] \"a\".on: unknown event 'nope'")
                .contains(bad + ":5: rules[0] \"a\".prompt: the event has no field 'nothing'")
                .contains("2 problems in " + bad);
    }

    @Test
    void validatePrintsTheSchemaForEditors() throws Exception {
        String[] r = capture(() -> Main.run("validate", "--print-schema"));

        JsonNode schema = new ObjectMapper().readTree(r[1]);
        assertThat(schema.at("/$defs/rule/properties/on/type").asText()).isEqualTo("array");
    }

    @Test
    void explainShowsTheEventEachRuleAndTheRenderedPrompt() {
        String[] r = capture(() -> Main.run("explain", "--event-key", "pr:opened",
                "--payload", FIXTURES + "datacenter/pr-opened__bbs-plugin.json", "--rules", "config/rules.yaml"));

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("event.edition: datacenter", "repository.full_name: AMUNIZ/test-repos",
                "no     summarize-new-issues: on: [issue.created] includes neither pr:opened nor pull_request.opened",
                "MATCH  pr-review-hints: if: !pull_request.draft",
                "Review pull request #1 \"Feature/diffstat\" in AMUNIZ/test-repos",
                "no     answer-mentions");
    }

    @Test
    void explainAsJsonSaysWhichConditionFailed() throws Exception {
        String[] r = capture(() -> Main.run("explain", "--event-key", "pullrequest:fulfilled", "--json",
                "--payload", FIXTURES + "cloud/pullrequest-fulfilled__bbs-plugin.json", "--rules", "config/rules.yaml"));

        JsonNode j = new ObjectMapper().readTree(r[1]);
        assertThat(j.at("/event/event/kind").asText()).isEqualTo("pull_request.merged");
        assertThat(j.get("rules")).hasSize(4);
        for (JsonNode d : j.get("rules")) {
            assertThat(d.get("matched").asBoolean()).isFalse();
            assertThat(d.get("reason").asText()).contains("includes neither pullrequest:fulfilled");
        }
    }

    @Test
    void explainReadsAJiraPayloadAndMapsItsProjectWithTheRules() {
        String[] r = capture(() -> Main.run("explain", "--event-key", "jira:issue_created",
                "--payload", "src/test/resources/jira/issue_created.json", "--rules", "config/rules.yaml"));

        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1]).contains("event.edition: jira", "repository.full_name: jira-acme.atlassian.net/web",
                "MATCH  summarize-new-jira-issues", "A new Jira issue was created by Mia Krystof: WEB-42");
    }

    @Test
    void explainRefusesAPayloadThatDoesNotFitItsKey() throws Exception {
        Path p = dir.resolve("p.json");
        Files.writeString(p, "{\"repository\": {\"full_name\": \"a/b\"}}");

        String[] r = capture(() -> Main.run("explain", "--event-key", "pullrequest:created", "--payload", p.toString()));

        assertThat(r[0]).isEqualTo("1");
        assertThat(r[2]).contains("no 'pullrequest' object");
    }
}
