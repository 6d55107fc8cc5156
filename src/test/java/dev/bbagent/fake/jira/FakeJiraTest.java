package dev.bbagent.fake.jira;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.testing.Http;
import dev.bbagent.webhook.SignatureVerifier;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fake Jira answers and delivers in Jira Cloud's documented shapes. */
class FakeJiraTest {

    FakeJira jira;
    JiraUser ann;
    Javalin receiver;
    final List<Map<String, String>> received = new ArrayList<>();
    final List<byte[]> bodies = new ArrayList<>();
    final AtomicInteger failFirst = new AtomicInteger();

    @BeforeEach
    void start() {
        jira = FakeJira.start();
        ann = jira.user("Ann Lee");
        jira.acceptApiToken(ann, "tok");
        jira.project("WEB", "Website");
        receiver = Javalin.create(cfg -> cfg.routes.post("/hook", ctx -> {
            synchronized (received) {
                received.add(Map.of("signature", String.valueOf(ctx.header("X-Hub-Signature")),
                        "id", String.valueOf(ctx.header("X-Atlassian-Webhook-Identifier")),
                        "retry", String.valueOf(ctx.header("X-Atlassian-Webhook-Retry"))));
                bodies.add(ctx.bodyAsBytes());
            }
            ctx.status(failFirst.getAndDecrement() > 0 ? 503 : 200);
        })).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        receiver.stop();
        jira.close();
    }

    private String hook() {
        return "http://127.0.0.1:" + receiver.port() + "/hook";
    }

    private Http.Response get(String path, String auth) {
        return new Http(jira.baseUrl()).get(path, "Authorization", auth);
    }

    private static String basic(String email, String token) {
        return "Basic " + Base64.getEncoder().encodeToString((email + ":" + token).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anIssueCreatedWebhookHasJiraCloudsShapeAndIsSigned() {
        jira.registerWebhook(hook(), "s3cret", "jira:issue_created");

        jira.createIssue("WEB", "Bug", "Login fails", "It breaks.", ann, "login");
        JiraDelivery d = jira.awaitDeliveries(1, Duration.ofSeconds(5)).getFirst();

        JsonNode p = d.json();
        assertThat(p.get("webhookEvent").asText()).isEqualTo("jira:issue_created");
        assertThat(p.get("issue_event_type_name").asText()).isEqualTo("issue_created");
        assertThat(p.get("timestamp").isNumber()).isTrue();
        assertThat(p.at("/user/accountId").asText()).isEqualTo(ann.accountId());
        assertThat(p.at("/issue/key").asText()).isEqualTo("WEB-1");
        assertThat(p.at("/issue/self").asText()).isEqualTo(jira.baseUrl() + "/rest/api/2/issue/" + p.at("/issue/id").asText());
        assertThat(p.at("/issue/fields/description/type").asText()).isEqualTo("doc");
        assertThat(p.at("/issue/fields/status/name").asText()).isEqualTo("To Do");
        assertThat(p.at("/issue/fields/issuetype/name").asText()).isEqualTo("Bug");
        assertThat(p.at("/issue/fields/priority/name").asText()).isEqualTo("Medium");
        assertThat(p.at("/issue/fields/project/key").asText()).isEqualTo("WEB");
        assertThat(p.at("/issue/fields/labels/0").asText()).isEqualTo("login");
        assertThat(p.at("/issue/fields/assignee").isNull()).isTrue();
        byte[] body = bodies.getFirst();
        assertThat(received.getFirst().get("signature")).isEqualTo(SignatureVerifier.sign("s3cret", body));
        assertThat(received.getFirst().get("id")).isEqualTo(d.identifier());
    }

    @Test
    void aCommentSendsCommentCreatedWithAReducedIssueAndAnIssueUpdate() {
        jira.registerWebhook(hook(), null, "comment_created", "jira:issue_updated");
        jira.createIssue("WEB", "Task", "Docs", (String) null, ann);

        jira.comment("WEB-1", "Looks good", ann);
        List<JiraDelivery> ds = jira.awaitDeliveries(2, Duration.ofSeconds(5));

        JsonNode comment = ds.stream().filter(d -> d.event().equals("comment_created")).findFirst().orElseThrow().json();
        assertThat(comment.at("/comment/body/type").asText()).isEqualTo("doc");
        assertThat(comment.at("/comment/author/displayName").asText()).isEqualTo("Ann Lee");
        assertThat(comment.at("/issue/fields/summary").asText()).isEqualTo("Docs");
        assertThat(comment.at("/issue/fields").has("description")).isFalse();
        assertThat(comment.has("user")).isFalse();
        JsonNode updated = ds.stream().filter(d -> d.event().equals("jira:issue_updated")).findFirst().orElseThrow().json();
        assertThat(updated.get("issue_event_type_name").asText()).isEqualTo("issue_commented");
        assertThat(received.getFirst().get("signature")).isEqualTo("null");
    }

    @Test
    void aTransitionSendsIssueUpdatedWithTheChangelog() {
        jira.registerWebhook(hook(), "s", "jira:issue_updated");
        jira.createIssue("WEB", "Task", "Docs", (String) null, ann);

        jira.transition("WEB-1", "Done", ann);
        JsonNode p = jira.awaitDeliveries(1, Duration.ofSeconds(5)).getFirst().json();

        assertThat(p.at("/changelog/items/0/field").asText()).isEqualTo("status");
        assertThat(p.at("/changelog/items/0/fromString").asText()).isEqualTo("To Do");
        assertThat(p.at("/changelog/items/0/toString").asText()).isEqualTo("Done");
        assertThat(p.at("/issue/fields/status/name").asText()).isEqualTo("Done");
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheSameIdentifier() {
        failFirst.set(1);
        jira.registerWebhook(hook(), "s", "jira:issue_created");

        jira.createIssue("WEB", "Task", "Docs", (String) null, ann);
        JiraDelivery d = jira.awaitDeliveries(1, Duration.ofSeconds(5)).getFirst();

        assertThat(d.statuses()).containsExactly(503, 200);
        assertThat(received).extracting(r -> r.get("id")).containsOnly(d.identifier());
        assertThat(received).extracting(r -> r.get("retry")).containsExactly("null", "1");
    }

    @Test
    void aWebhookFilteredByProjectOnlyHearsItsProjects() {
        jira.project("OPS", "Operations");
        jira.registerWebhook(hook(), "s", java.util.Set.of("OPS"), "jira:issue_created");

        jira.createIssue("WEB", "Task", "Not sent", (String) null, ann);
        jira.createIssue("OPS", "Task", "Sent", (String) null, ann);

        assertThat(jira.awaitDeliveries(1, Duration.ofSeconds(5)).getFirst().json().at("/issue/key").asText())
                .isEqualTo("OPS-1");
    }

    @Test
    void requestsNeedAnApiTokenOfAKnownAccount() {
        jira.createIssue("WEB", "Task", "Docs", (String) null, ann);

        assertThat(get("/rest/api/3/issue/WEB-1", basic(ann.email(), "tok")).status()).isEqualTo(200);
        Http.Response wrong = get("/rest/api/3/issue/WEB-1", basic(ann.email(), "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().at("/errorMessages/0").asText()).contains("not authenticated");
        assertThat(get("/rest/api/3/myself", basic(ann.email(), "tok")).json().get("emailAddress").asText())
                .isEqualTo(ann.email());
    }

    @Test
    void errorsHaveJirasErrorBody() {
        Http.Response missing = get("/rest/api/3/issue/WEB-9", basic(ann.email(), "tok"));
        Http.Response removed = get("/rest/api/3/search?jql=project%3DWEB", basic(ann.email(), "tok"));
        jira.failNext(1, 429, 7);
        Http.Response limited = get("/rest/api/3/myself", basic(ann.email(), "tok"));

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("errorMessages").get(0).asText())
                .isEqualTo("Issue does not exist or you do not have permission to see it.");
        assertThat(missing.json().get("errors").isObject()).isTrue();
        assertThat(removed.status()).isEqualTo(410);
        assertThat(removed.json().at("/errorMessages/0").asText()).contains("/rest/api/3/search/jql");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).isEqualTo("7");
    }
}
