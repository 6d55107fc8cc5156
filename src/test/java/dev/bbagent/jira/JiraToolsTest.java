package dev.bbagent.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import dev.bbagent.fake.jira.FakeJira;
import dev.bbagent.fake.jira.IssueView;
import dev.bbagent.fake.jira.JiraUser;
import dev.bbagent.mcp.BuiltinTool;
import dev.bbagent.mcp.ToolResult;
import dev.bbagent.mcp.ToolTransientException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every built-in Jira tool against the fake Jira: the request it makes, its result, its errors. */
class JiraToolsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "jira-api-token-1";

    FakeJira jira;
    JiraUser bot;
    JiraUser ann;
    JiraClient client;
    List<BuiltinTool> tools;
    IssueView issue;

    @BeforeEach
    void start() {
        jira = FakeJira.start();
        bot = jira.app("bbagent");
        ann = jira.user("Ann Lee");
        jira.acceptApiToken(bot, TOKEN);
        jira.project("WEB", "Website").project("OPS", "Operations");
        issue = jira.createIssue("WEB", "Bug", "Login fails", "Steps:\nopen the page", ann, "login");
        jira.comment(issue.key(), "Seen on Firefox too", ann);
        client = new JiraClient(JiraConfig.of(jira.baseUrl(), bot.email(), TOKEN)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)), new SimpleMeterRegistry(), Clock.systemUTC());
        tools = JiraTools.create(client);
        jira.clearRequests();
    }

    @AfterEach
    void stop() {
        client.close();
        jira.close();
    }

    private ToolResult call(String tool, Map<String, Object> args) {
        return tools.stream().filter(t -> t.name().equals(tool)).findFirst().orElseThrow().handler().apply(args);
    }

    private static JsonNode json(ToolResult r) {
        assertThat(r.isError()).as(r.text()).isFalse();
        try {
            return JSON.readTree(r.text());
        } catch (Exception e) {
            throw new AssertionError(r.text(), e);
        }
    }

    private RecordedRequest lastRequest() {
        return jira.requests().getLast();
    }

    @Test
    void theToolsetHasSevenToolsAndOnlyTheReadersAreReadOnly() {
        assertThat(tools).extracting(BuiltinTool::name).containsExactly("get_issue", "search_issues", "list_transitions",
                "add_issue_comment", "update_issue", "transition_issue", "create_issue");
        assertThat(tools).filteredOn(t -> t.spec().readOnly()).extracting(BuiltinTool::name)
                .containsExactly("get_issue", "search_issues", "list_transitions");
        assertThat(tools).noneMatch(t -> t.spec().destructive());
        assertThat(tools).filteredOn(t -> !t.name().equals("search_issues") && !t.name().equals("create_issue"))
                .allSatisfy(t -> assertThat(t.spec().inputSchema().get("required").toString()).contains("issue_key"));
    }

    @Test
    void getIssueReadsTheIssueWithItsDescriptionAsTextAndItsComments() {
        JsonNode r = json(call("get_issue", Map.of("issue_key", "web-1")));

        assertThat(lastRequest().line()).isEqualTo("GET /rest/api/3/issue/WEB-1");
        assertThat(lastRequest().query()).startsWith("fields=summary%2Cdescription%2Cstatus");
        assertThat(lastRequest().header("Authorization")).isEqualTo("Basic [redacted]");
        assertThat(r.get("key").asText()).isEqualTo("WEB-1");
        assertThat(r.get("url").asText()).isEqualTo(jira.baseUrl() + "/browse/WEB-1");
        assertThat(r.get("summary").asText()).isEqualTo("Login fails");
        assertThat(r.get("status").asText()).isEqualTo("To Do");
        assertThat(r.get("type").asText()).isEqualTo("Bug");
        assertThat(r.get("labels").toString()).isEqualTo("[\"login\"]");
        assertThat(r.get("description").asText()).isEqualTo("Steps:\nopen the page");
        assertThat(r.at("/reporter/name").asText()).isEqualTo("Ann Lee");
        assertThat(r.get("assignee").isNull()).isTrue();
        assertThat(r.at("/comments/0/body").asText()).isEqualTo("Seen on Firefox too");
        assertThat(r.get("comments_total").asInt()).isEqualTo(1);
    }

    @Test
    void aMissingIssueIsAnErrorResultQuotingJira() {
        ToolResult r = call("get_issue", Map.of("issue_key", "WEB-99"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("404").contains("Issue does not exist or you do not have permission to see it.");
    }

    @Test
    void aMalformedIssueKeyIsRefusedBeforeAnyRequest() {
        ToolResult r = call("get_issue", Map.of("issue_key", "../admin"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("issue key such as PROJ-123");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void searchIssuesPostsTheJqlToTheEnhancedSearchEndpointAndPages() {
        jira.createIssue("WEB", "Task", "Second", (String) null, ann);
        jira.createIssue("WEB", "Task", "Third", (String) null, ann);

        JsonNode first = json(call("search_issues", Map.of("jql", "project = WEB ORDER BY created ASC", "limit", 2)));
        RecordedRequest request = lastRequest();
        JsonNode second = json(call("search_issues", Map.of("jql", "project = WEB ORDER BY created ASC", "limit", 2,
                "next_page_token", first.get("next_page_token").asText())));

        assertThat(request.line()).isEqualTo("POST /rest/api/3/search/jql");
        assertThat(request.json().get("jql").asText()).isEqualTo("project = WEB ORDER BY created ASC");
        assertThat(request.json().get("maxResults").asInt()).isEqualTo(2);
        assertThat(request.json().get("fields").toString()).contains("summary");
        assertThat(first.get("issues")).extracting(i -> i.get("key").asText()).containsExactly("WEB-1", "WEB-2");
        assertThat(first.get("more").asText()).contains("next_page_token");
        assertThat(second.get("issues")).extracting(i -> i.get("summary").asText()).containsExactly("Third");
        assertThat(second.has("next_page_token")).isFalse();
    }

    @Test
    void anUnboundedSearchIsAnErrorResultWithJirasWords() {
        ToolResult r = call("search_issues", Map.of("jql", "ORDER BY created DESC"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("400").contains("Unbounded JQL queries are not allowed");
    }

    @Test
    void addIssueCommentPostsThePlainTextAsAnAtlassianDocument() {
        JsonNode r = json(call("add_issue_comment", Map.of("issue_key", "WEB-1", "body", "Summary: login fails.\n\nLabel: bug")));

        assertThat(lastRequest().line()).isEqualTo("POST /rest/api/3/issue/WEB-1/comment");
        JsonNode body = lastRequest().json().get("body");
        assertThat(body.get("type").asText()).isEqualTo("doc");
        assertThat(body.get("content")).hasSize(2);
        assertThat(r.get("issue_key").asText()).isEqualTo("WEB-1");
        assertThat(r.at("/author/name").asText()).isEqualTo("bbagent");
        assertThat(r.get("url").asText()).contains("/browse/WEB-1?focusedCommentId=");
        assertThat(jira.comments("WEB-1")).last().satisfies(c -> {
            assertThat(c.text()).isEqualTo("Summary: login fails.\n\nLabel: bug");
            assertThat(c.author()).isEqualTo(bot);
        });
    }

    @Test
    void updateIssueSetsFieldsAndAddsAndRemovesLabelsInOneEdit() {
        JsonNode r = json(call("update_issue", Map.of("issue_key", "WEB-1", "summary", "Login fails with SSO",
                "priority", "High", "labels_add", List.of("triaged"), "labels_remove", List.of("login"))));

        RecordedRequest put = lastRequest();
        assertThat(put.line()).isEqualTo("PUT /rest/api/3/issue/WEB-1");
        assertThat(put.json().at("/fields/summary").asText()).isEqualTo("Login fails with SSO");
        assertThat(put.json().at("/fields/priority/name").asText()).isEqualTo("High");
        assertThat(put.json().at("/update/labels").toString()).isEqualTo("[{\"add\":\"triaged\"},{\"remove\":\"login\"}]");
        assertThat(r.get("updated").toString()).isEqualTo("[\"summary\",\"priority\",\"labels\"]");
        IssueView now = jira.issue("WEB-1");
        assertThat(now.summary()).isEqualTo("Login fails with SSO");
        assertThat(now.priority()).isEqualTo("High");
        assertThat(now.labels()).containsExactly("triaged");
    }

    @Test
    void updateIssueQuotesTheFieldErrorsJiraAnswers() {
        ToolResult r = call("update_issue", Map.of("issue_key", "WEB-1", "priority", "Urgent!!"));
        ToolResult nothing = call("update_issue", Map.of("issue_key", "WEB-1"));
        ToolResult spaced = call("update_issue", Map.of("issue_key", "WEB-1", "labels_add", List.of("two words")));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("400").contains("priority: Specify the Priority (name) in the string format");
        assertThat(nothing.text()).contains("nothing to change");
        assertThat(spaced.text()).contains("cannot contain spaces");
    }

    @Test
    void transitionIssueFindsTheTransitionByNameAndPostsItsId() {
        JsonNode listed = json(call("list_transitions", Map.of("issue_key", "WEB-1")));
        JsonNode r = json(call("transition_issue", Map.of("issue_key", "WEB-1", "transition", "in progress")));

        assertThat(listed.get("transitions")).extracting(t -> t.get("name").asText()).containsExactly("In Progress", "Done");
        assertThat(jira.requests()).extracting(RecordedRequest::line).containsSubsequence(
                "GET /rest/api/3/issue/WEB-1/transitions", "POST /rest/api/3/issue/WEB-1/transitions");
        assertThat(lastRequest().json().at("/transition/id").asText()).isEqualTo("21");
        assertThat(r.get("status").asText()).isEqualTo("In Progress");
        assertThat(jira.issue("WEB-1").status()).isEqualTo("In Progress");
    }

    @Test
    void anUnknownTransitionListsTheOnesThatExist() {
        ToolResult r = call("transition_issue", Map.of("issue_key", "WEB-1", "transition", "Shipped"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("no transition 'Shipped'").contains("\"In Progress\" (id 21, to In Progress)");
        assertThat(lastRequest().method()).isEqualTo("GET");
    }

    @Test
    void createIssueSendsProjectTypeSummaryAndADescriptionDocument() {
        JsonNode r = json(call("create_issue", Map.of("project_key", "ops", "summary", "Rotate the certificate",
                "issue_type", "Task", "description", "It expires soon.", "labels", List.of("tls"))));

        RecordedRequest post = lastRequest();
        assertThat(post.line()).isEqualTo("POST /rest/api/3/issue");
        assertThat(post.json().at("/fields/project/key").asText()).isEqualTo("OPS");
        assertThat(post.json().at("/fields/issuetype/name").asText()).isEqualTo("Task");
        assertThat(post.json().at("/fields/description/type").asText()).isEqualTo("doc");
        assertThat(r.get("key").asText()).isEqualTo("OPS-1");
        assertThat(r.get("url").asText()).endsWith("/browse/OPS-1");
        assertThat(jira.issue("OPS-1").descriptionText()).isEqualTo("It expires soon.");
        assertThat(jira.issue("OPS-1").reporter()).isEqualTo(bot);
    }

    @Test
    void createIssueInAnUnknownProjectQuotesJirasFieldError() {
        ToolResult r = call("create_issue", Map.of("project_key", "NOPE", "summary", "x"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("project: Specify a valid project ID or key");
    }

    @Test
    void aRateLimitedCallIsTransientWithJirasRetryAfter() {
        jira.failNext(1, 429, 42);

        assertThatThrownBy(() -> call("get_issue", Map.of("issue_key", "WEB-1")))
                .isInstanceOf(ToolTransientException.class)
                .hasMessageContaining("429").hasMessageContaining("42s")
                .satisfies(e -> assertThat(((ToolTransientException) e).retryAfter()).hasValue(Duration.ofSeconds(42)));
    }

    @Test
    void aServerErrorWithoutRetryAfterIsTransientWithABackoff() {
        jira.failNext(1, 503, 0);

        assertThatThrownBy(() -> call("add_issue_comment", Map.of("issue_key", "WEB-1", "body", "x")))
                .isInstanceOf(ToolTransientException.class).hasMessageContaining("503")
                .satisfies(e -> assertThat(((ToolTransientException) e).retryAfter()).isPresent());
        assertThat(jira.comments("WEB-1")).hasSize(1);
    }

    @Test
    void wrongCredentialsAreAnErrorResultNamingTheSettings() {
        try (JiraClient wrong = new JiraClient(JiraConfig.of(jira.baseUrl(), bot.email(), "nope"),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            ToolResult r = JiraTools.create(wrong).getFirst().handler().apply(Map.of("issue_key", "WEB-1"));

            assertThat(r.isError()).isTrue();
            assertThat(r.text()).contains("401").contains("JIRA_EMAIL and JIRA_API_TOKEN");
        }
    }

    @Test
    void theOwnRequestBudgetIsSharedAndSaysWhenToTryAgain() {
        try (JiraClient limited = new JiraClient(JiraConfig.of(jira.baseUrl(), bot.email(), TOKEN).withRequestsPerMinute(1),
                new SimpleMeterRegistry(), Clock.systemUTC())) {
            List<BuiltinTool> mine = JiraTools.create(limited);
            assertThat(mine.getFirst().handler().apply(Map.of("issue_key", "WEB-1")).isError()).isFalse();

            assertThatThrownBy(() -> mine.get(1).handler().apply(Map.of("jql", "project = WEB")))
                    .isInstanceOf(ToolTransientException.class).hasMessageContaining("1 Jira requests per minute");
        }
    }

    @Test
    void unknownArgumentsAreRefused() {
        ToolResult r = call("get_issue", Map.of("issue_key", "WEB-1", "workspace", "acme"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("unknown argument workspace");
    }
}
