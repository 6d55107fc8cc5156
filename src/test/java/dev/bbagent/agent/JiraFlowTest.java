package dev.bbagent.agent;

import static dev.bbagent.agent.AgentHarness.args;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.fake.jira.FakeJira;
import dev.bbagent.fake.jira.IssueView;
import dev.bbagent.fake.jira.JiraUser;
import dev.bbagent.fake.openai.RecordedRequest;
import dev.bbagent.fake.openai.Reply;
import dev.bbagent.fake.openai.ToolCall;
import dev.bbagent.store.Job;
import dev.bbagent.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole Jira flow: the fake Jira delivers a signed {@code jira:issue_created} to bbagent, the rule runs the
 * scripted model, and the model's summary lands as a comment on the issue through the built-in Jira tools.
 */
class JiraFlowTest {

    static final String JIRA_SECRET = "jira-hook-secret";
    static final String JIRA_TOKEN = "jira-api-token-flow";
    static final String RULES = """
            version: 1
            defaults: {model: gpt-test, max_turns: 6}
            mcp_servers:
              jira: {builtin: jira}
            jira:
              projects: {WEB: acme/widgets}
            rules:
              - name: summarize-jira
                on: [issue.created]
                if: 'event.edition == "jira"'
                tools: [jira.get_issue, jira.add_issue_comment, jira.create_issue]
                prompt: "Summarize {{issue.id}} {{issue.title}} ({{issue.kind}}) by {{issue.author.name}}: {{issue.description}}"
              - name: answer-jira-comments
                on: [issue.comment_created]
                tools: [jira.add_issue_comment]
                prompt: "Answer {{comment.text}}"
            """;

    @TempDir
    Path dir;

    AgentHarness h;
    FakeJira jira;
    JiraUser bot;
    JiraUser mia;

    @BeforeEach
    void start() throws Exception {
        h = new AgentHarness(dir);
        jira = FakeJira.start();
        // an API token belongs to an ordinary account: bbagent learns it is its own from /myself
        bot = jira.user("bbagent bot");
        mia = jira.user("Mia Krystof");
        jira.acceptApiToken(bot, JIRA_TOKEN);
        jira.project("WEB", "Website");
        h.env.put("JIRA_BASE_URL", jira.baseUrl());
        h.env.put("JIRA_EMAIL", bot.email());
        h.env.put("JIRA_API_TOKEN", JIRA_TOKEN);
    }

    @AfterEach
    void stop() {
        h.close();
        jira.close();
    }

    private TestServer startBbagent() throws Exception {
        TestServer server = h.start(RULES, s -> s.withJiraSecrets(List.of(JIRA_SECRET)));
        jira.registerWebhook(server.url() + "/webhooks/jira", JIRA_SECRET, "jira:issue_created", "jira:issue_updated",
                "comment_created");
        return server;
    }

    @Test
    void aNewJiraIssueGetsASummaryCommentThroughTheBuiltInTools() throws Exception {
        h.llm.enqueue(
                Reply.toolCall("jira__get_issue", args("{'issue_key':'WEB-1'}")),
                Reply.toolCall("jira__add_issue_comment", args("{'issue_key':'WEB-1','body':'Asked: fix SSO login.\\n"
                        + "Missing: browser version.\\nLabel: bug'}")),
                Reply.text("I posted the summary."));
        TestServer server = startBbagent();

        IssueView issue = jira.createIssue("WEB", "Bug", "Login fails with SSO", "Open the login page.\nChoose SSO.", mia);
        Job job = h.awaitJob(Job.SUCCEEDED);

        assertThat(issue.key()).isEqualTo("WEB-1");
        assertThat(job.rule()).isEqualTo("summarize-jira");
        assertThat(job.thread()).isEqualTo("acme/widgets#issue-WEB-1");
        assertThat(job.result()).startsWith("completed, 3 turns, 2 tool calls, 1 changes");
        assertThat(jira.comments("WEB-1")).singleElement().satisfies(c -> {
            assertThat(c.author()).isEqualTo(bot);
            assertThat(c.text()).isEqualTo("Asked: fix SSO login.\nMissing: browser version.\nLabel: bug");
            assertThat(c.body().path("type").asText()).isEqualTo("doc");
        });
        RecordedRequest first = h.llm.requests().getFirst();
        assertThat(first.toolNames()).containsExactlyInAnyOrder("jira__get_issue", "jira__add_issue_comment",
                "jira__create_issue");
        assertThat(first.lastUserText()).hasValue("Summarize WEB-1 Login fails with SSO (Bug) by Mia Krystof: "
                + "Open the login page.\nChoose SSO.");
        assertThat(h.llm.requests().get(1).toolResults()).singleElement()
                .satisfies(r -> assertThat(r.output()).contains("\"status\":\"To Do\"").contains("Choose SSO."));
        assertThat(h.lastRun().toolCalls()).extracting(t -> t.server() + "." + t.tool() + ":" + t.outcome())
                .containsExactly("jira.get_issue:ok", "jira.add_issue_comment:ok");
        assertThat(server.metric("bbagent_tool_calls_total",
                "outcome=\"ok\",server=\"jira\",tool=\"add_issue_comment\"")).isEqualTo(1.0);

        // bbagent's own comment comes back as comment_created and jira:issue_updated: stored, never answered
        jira.awaitDeliveries(3, Duration.ofSeconds(10));
        assertThat(jira.deliveries()).allSatisfy(d -> {
            assertThat(d.finalStatus()).isIn(200, 202);
            assertThat(d.headers().get("X-Hub-Signature")).startsWith("sha256=");
        });
        assertThat(server.app().rules().botIds()).contains(bot.accountId());
        assertThat(server.app().store().list("acme/widgets", 10)).hasSize(3);
        assertThat(server.app().jobs().jobs(null, null, null, 10)).hasSize(1);
    }

    @Test
    void theScopeGuardKeepsTheAgentOnTheIssueThatTriggeredIt() throws Exception {
        h.llm.enqueue(
                Reply.toolCalls(ToolCall.of("jira__add_issue_comment", args("{'issue_key':'WEB-1','body':'Not mine'}")),
                        ToolCall.of("jira__create_issue", args("{'project_key':'OPS','summary':'Elsewhere'}"))),
                Reply.text("Both were refused."));
        jira.project("OPS", "Operations");
        IssueView other = jira.createIssue("WEB", "Task", "Another issue", (String) null, mia);
        startBbagent();

        jira.createIssue("WEB", "Bug", "Login fails", (String) null, mia);
        h.awaitJob(Job.SUCCEEDED);

        assertThat(other.key()).isEqualTo("WEB-1");
        List<RecordedRequest.ToolResult> results = h.llm.requests().get(1).toolResults();
        assertThat(results).extracting(RecordedRequest.ToolResult::output).containsExactlyInAnyOrder(
                "denied by the scope guard: issue WEB-1 is not this event's issue WEB-2",
                "denied by the scope guard: Jira project 'OPS' is not this event's project 'WEB'");
        assertThat(jira.comments("WEB-1")).isEmpty();
        assertThat(jira.comments("WEB-2")).isEmpty();
        assertThat(h.lastRun().toolCalls()).extracting(t -> t.outcome()).containsOnly("denied");
    }
}
