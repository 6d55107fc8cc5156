package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.NewPullRequest;
import dev.bbagent.fake.bitbucket.PullRequestView;
import dev.bbagent.mcp.ToolResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketPullRequestToolsTest {

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Three pull requests: #1 open, #2 merged, #3 open. */
    private void threePullRequests() {
        f.fake.workspace("acme").repo("widgets").branch("b2", Map.of("b2.txt", "2\n")).branch("b3", Map.of("b3.txt", "3\n"));
        f.openSearchPullRequest();
        f.fake.openPullRequest("acme", "widgets", "Second", "b2", "main", f.alice);
        f.fake.pullRequest("acme", "widgets", 2).merge(f.alice);
        f.fake.openPullRequest("acme", "widgets", "Third", "b3", "main", f.alice);
        f.fake.clearRequests();
    }

    @Test
    void listPullRequestsListsOpenOnesNewestFirstByDefault() {
        threePullRequests();

        JsonNode r = f.callJson("list_pull_requests", Fixture.repo());

        assertThat(f.last().line()).isEqualTo("GET /2.0/repositories/acme/widgets/pullrequests");
        assertThat(f.last().query()).isEqualTo("pagelen=25");
        assertThat(r.path("values")).extracting(v -> v.path("id").asInt()).containsExactly(3, 1);
        JsonNode third = r.at("/values/0");
        assertThat(third.path("title").asText()).isEqualTo("Third");
        assertThat(third.path("state").asText()).isEqualTo("OPEN");
        assertThat(third.path("source_branch").asText()).isEqualTo("b3");
        assertThat(third.path("destination_branch").asText()).isEqualTo("main");
        assertThat(third.at("/author/display_name").asText()).isEqualTo("Alice Liddell");
        assertThat(third.path("url").asText()).endsWith("/acme/widgets/pull-requests/3");
        assertThat(third.has("description")).isFalse();
        assertThat(third.has("links")).isFalse();
    }

    @Test
    void listPullRequestsFiltersByRepeatedStateAndPages() {
        threePullRequests();

        JsonNode r = f.callJson("list_pull_requests", Fixture.repo("state", List.of("open", "MERGED"), "limit", 2,
                "q", "title ~ \"d\""));

        assertThat(f.requests().getFirst().query()).isEqualTo("state=OPEN&state=MERGED&q=title+%7E+%22d%22&pagelen=2");
        assertThat(r.path("values")).hasSize(2);
        assertThat(r.path("total").asInt()).isEqualTo(3);
        assertThat(r.path("more").asText()).isEqualTo("showing 2 of 3 pull requests; pass limit (up to 100) to see more");
        ToolResult bad = f.call("list_pull_requests", Fixture.repo("state", List.of("CLOSED")));
        assertThat(bad.isError()).isTrue();
        assertThat(bad.text()).contains("state must be one of [OPEN, MERGED, DECLINED, SUPERSEDED]");
    }

    @Test
    void getPullRequestIsCompactButComplete() {
        Account carol = f.fake.user("carol", "Carol");
        f.fake.workspace("acme").member(carol);
        f.fake.openPullRequest("acme", "widgets", NewPullRequest.of("Add search", "feature/search", "main")
                .withDescription("Adds **search**.").withReviewers(carol), f.alice);
        f.fake.pullRequest("acme", "widgets", 1).approve(carol);
        PullRequestView view = f.fake.pullRequest("acme", "widgets", 1).view();

        JsonNode pr = f.callJson("get_pull_request", Fixture.pr(1));

        assertThat(f.last().line()).isEqualTo("GET /2.0/repositories/acme/widgets/pullrequests/1");
        assertThat(pr.path("id").asInt()).isEqualTo(1);
        assertThat(pr.path("description").asText()).isEqualTo("Adds **search**.");
        assertThat(pr.at("/source/branch").asText()).isEqualTo("feature/search");
        assertThat(pr.at("/source/commit").asText()).isEqualTo(view.sourceCommit().substring(0, 12));
        assertThat(pr.at("/destination/branch").asText()).isEqualTo("main");
        assertThat(pr.at("/destination/repository").asText()).isEqualTo("acme/widgets");
        assertThat(pr.path("reviewers")).extracting(JsonNode::asText).containsExactly("Carol");
        assertThat(pr.path("participants")).singleElement().satisfies(p -> {
            assertThat(p.path("display_name").asText()).isEqualTo("Carol");
            assertThat(p.path("role").asText()).isEqualTo("REVIEWER");
            assertThat(p.path("approved").asBoolean()).isTrue();
            assertThat(p.path("state").asText()).isEqualTo("approved");
        });
        assertThat(pr.path("created_on").asText()).isNotEmpty();
        assertThat(pr.toString()).doesNotContain("\"links\"").doesNotContain("avatar").doesNotContain("<p>");
        assertThat(pr.toString().length()).isLessThan(1_500);
    }

    @Test
    void createPullRequestSendsBitbucketsBody() {
        Account carol = f.fake.user("carol", "Carol");
        f.fake.workspace("acme").member(carol);

        JsonNode pr = f.callJson("create_pull_request", Fixture.repo("title", "Add search",
                "source_branch", "feature/search", "destination_branch", "main", "description", "Please review",
                "reviewers", List.of(carol.accountId(), f.alice.uuid()), "close_source_branch", true, "draft", true));

        assertThat(f.last().line()).isEqualTo("POST /2.0/repositories/acme/widgets/pullrequests");
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"title\":\"Add search\","
                + "\"source\":{\"branch\":{\"name\":\"feature/search\"}},"
                + "\"destination\":{\"branch\":{\"name\":\"main\"}},\"description\":\"Please review\","
                + "\"reviewers\":[{\"account_id\":\"" + carol.accountId() + "\"},{\"uuid\":\"" + f.alice.uuid() + "\"}],"
                + "\"close_source_branch\":true,\"draft\":true}"));
        assertThat(pr.path("id").asInt()).isEqualTo(1);
        assertThat(pr.path("draft").asBoolean()).isTrue();
        assertThat(pr.path("reviewers")).hasSize(2);
        assertThat(f.fake.pullRequests("acme", "widgets")).singleElement()
                .satisfies(v -> assertThat(v.author().uuid()).isEqualTo(f.bot.uuid()));
    }

    @Test
    void createPullRequestWithTheMinimalBodyGoesToTheMainBranch() {
        f.callJson("create_pull_request", Fixture.repo("title", "Add search", "source_branch", "feature/search"));

        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"title\":\"Add search\",\"source\":{\"branch\":{\"name\":\"feature/search\"}}}"));
        assertThat(f.fake.pullRequests("acme", "widgets").getFirst().destinationBranch()).isEqualTo("main");
    }

    @Test
    void approveAndRequestChangesActAsTheBot() {
        f.openSearchPullRequest();

        JsonNode approved = f.callJson("approve_pull_request", Fixture.pr(1));
        assertThat(f.last().line()).isEqualTo("POST /2.0/repositories/acme/widgets/pullrequests/1/approve");
        assertThat(approved.at("/participant/approved").asBoolean()).isTrue();
        assertThat(approved.at("/participant/display_name").asText()).isEqualTo("bbagent");
        assertThat(f.fake.pullRequest("acme", "widgets", 1).view().approvedBy()).extracting(Account::uuid)
                .containsExactly(f.bot.uuid());

        JsonNode changes = f.callJson("request_changes", Fixture.pr(1));
        assertThat(f.last().line()).isEqualTo("POST /2.0/repositories/acme/widgets/pullrequests/1/request-changes");
        assertThat(changes.at("/participant/state").asText()).isEqualTo("changes_requested");
        PullRequestView view = f.fake.pullRequest("acme", "widgets", 1).view();
        assertThat(view.approvedBy()).isEmpty();
        assertThat(view.changesRequestedBy()).extracting(Account::uuid).containsExactly(f.bot.uuid());
    }
}
