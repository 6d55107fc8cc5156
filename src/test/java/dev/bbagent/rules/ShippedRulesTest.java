package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.event.Event;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.webhook.BitbucketEvents;
import dev.bbagent.webhook.JiraParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Every rule in the shipped config/rules.yaml against the real payloads. */
class ShippedRulesTest {

    private static final CompiledRules RULES = load();

    private static CompiledRules load() {
        RulesLoader.Loaded l = RulesLoader.load(Path.of("config/rules.yaml"), Map.of());
        assertThat(l.problems()).as(l.report()).isEmpty();
        return l.rules();
    }

    private static Event event(String fixture) {
        Fixtures.Fixture f = Fixtures.named(fixture);
        try {
            return BitbucketEvents.parse(f.edition(), f.eventKey(), "d", new ObjectMapper().readTree(f.bytes()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> matched(Event e) {
        Set<String> out = new TreeSet<>();
        for (Matcher.Decision d : Matcher.evaluate(RULES, RULES.botAccountIds(), e)) {
            assertThat(d.error()).as(d.reason()).isFalse();
            if (d.matched()) {
                out.add(d.rule().name());
            }
        }
        return out;
    }

    private static Event jiraEvent(String fixture) {
        try (var in = ShippedRulesTest.class.getResourceAsStream("/jira/" + fixture)) {
            var body = new ObjectMapper().readTree(in);
            return JiraParser.parse(body.get("webhookEvent").asText(), "d", body, RULES.jiraProjects());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void theShippedFileHasTheFourDocumentedRules() {
        assertThat(RULES.rules()).extracting(CompiledRule::name)
                .containsExactly("summarize-new-jira-issues", "summarize-new-issues", "pr-review-hints", "answer-mentions");
        assertThat(RULES.servers()).containsKeys("bitbucket", "jira");
        assertThat(RULES.jiraProjects()).isEmpty();
    }

    @Test
    void aNewJiraIssueIsSummarizedWithTheJiraToolsAndOnlyThat() {
        Event created = jiraEvent("issue_created.json");

        assertThat(matched(created)).containsExactly("summarize-new-jira-issues");
        assertThat(matched(jiraEvent("issue_updated.json"))).isEmpty();
        assertThat(matched(jiraEvent("comment_created.json"))).isEmpty();
        CompiledRule rule = RULES.rule("summarize-new-jira-issues").orElseThrow();
        assertThat(rule.settings().tools()).containsExactly("jira.get_issue", "jira.add_issue_comment");
        String prompt = rule.renderPrompt(created.toMap(true));
        assertThat(prompt).startsWith("A new Jira issue was created by Mia Krystof: WEB-42 \"Login fails with SSO\"\n"
                + "(Bug, priority High, https://acme.atlassian.net/browse/WEB-42).\n");
        assertThat(prompt).contains("Description:\n## Steps").contains("add_issue_comment (issue_key \"WEB-42\")");
        assertThat(rule.renderInstructions(created.toMap(true))).contains("new Jira issues of project WEB.");
        assertThat(created.repository().fullName()).isEqualTo("jira-acme.atlassian.net/web");
    }

    @Test
    void whichRulesMatchEachFixture() {
        Map<String, Set<String>> expected = Map.ofEntries(
                Map.entry("cloud/pullrequest-created__bbs-plugin.json", Set.of("pr-review-hints")),
                Map.entry("cloud/pullrequest-created__go-scm.json", Set.of("pr-review-hints")),
                Map.entry("cloud/pullrequest-updated__bbs-plugin.json", Set.of("pr-review-hints")),
                Map.entry("cloud/pullrequest-fulfilled__bbs-plugin.json", Set.of()),
                Map.entry("cloud/pullrequest-rejected__bbs-plugin.json", Set.of()),
                Map.entry("cloud/pullrequest-comment_created__go-scm.json", Set.of()),
                Map.entry("cloud/issue-created__go-playground-docsample.json", Set.of("summarize-new-issues")),
                Map.entry("cloud/issue-comment_created__zulip.json", Set.of()),
                Map.entry("cloud/repo-push__bbs-plugin-signed.json", Set.of()),
                Map.entry("datacenter/pr-opened__bbs-plugin.json", Set.of("pr-review-hints")),
                Map.entry("datacenter/pr-from_ref_updated__go-scm.json", Set.of("pr-review-hints")),
                Map.entry("datacenter/pr-comment-added__go-playground.json", Set.of()),
                Map.entry("datacenter/pr-merged__go-scm.json", Set.of()));

        expected.forEach((fixture, rules) -> assertThat(matched(event(fixture))).as(fixture).isEqualTo(rules));
    }

    @Test
    void pullRequestsIntoOtherBranchesGetNoReview() {
        Event e = event("datacenter/pr-opened__bbs-plugin-fromtag.json");

        assertThat(e.pullRequest().destination().branch()).isEqualTo("master");
        assertThat(matched(e)).containsExactly("pr-review-hints");
        List<Matcher.Decision> d = Matcher.evaluate(RULES, Set.of(), event("datacenter/pr-modified__go-scm.json"));
        Matcher.Decision review = d.stream().filter(x -> x.rule().name().equals("pr-review-hints")).findFirst().orElseThrow();
        assertThat(review.reason()).contains("if:");
    }

    @Test
    void theReviewPromptIsRenderedFromTheEvent() {
        Event e = event("cloud/pullrequest-created__bbs-plugin.json");
        CompiledRule rule = RULES.rule("pr-review-hints").orElseThrow();

        String prompt = rule.renderPrompt(e.toMap(true));

        assertThat(prompt).startsWith("Review pull request #735 \"BUILD test\" in amuniz/test-repos\n"
                + "(feature/test -> master, head d31df3425c5b),\nopened by Nikolas Falco.\n");
        assertThat(prompt).doesNotContain("Description:").contains("upsert_bot_comment");
        assertThat(rule.renderInstructions(e.toMap(true))).contains("repository amuniz/test-repos.");
        assertThat(rule.settings().supersede()).isTrue();
        assertThat(rule.settings().debounce()).hasSeconds(30);
    }

    @Test
    void theMentionRuleAnswersOnlyCommentsThatMentionTheBot() throws IOException {
        ObjectMapper json = new ObjectMapper();
        var body = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(
                Fixtures.named("cloud/pullrequest-comment_created__go-scm.json").bytes());
        ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("comment").get("content"))
                .put("raw", "@bbagent why does this loop?");
        Event e = BitbucketEvents.parse(dev.bbagent.event.Edition.CLOUD, "pullrequest:comment_created", "d", body);

        assertThat(matched(e)).containsExactly("answer-mentions");
        String prompt = RULES.rule("answer-mentions").orElseThrow().renderPrompt(e.toMap(true));
        assertThat(prompt).contains("> @bbagent why does this loop?").contains("parent_id 311512047")
                .doesNotContain("(on ");
    }

    @Test
    void theIssueSummaryNamesTheIssue() {
        Event e = event("cloud/issue-created__go-playground-docsample.json");

        String prompt = RULES.rule("summarize-new-issues").orElseThrow().renderPrompt(e.toMap(true));

        assertThat(prompt).contains("#" + e.issue().id() + " " + e.issue().title());
        assertThat(prompt).contains("repo_slug \"" + e.repository().slug() + "\"");
    }
}
