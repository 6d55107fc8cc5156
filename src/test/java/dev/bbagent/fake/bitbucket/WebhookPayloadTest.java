package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** The fields a consumer of {@code pullrequest:created} relies on. */
    private static final List<String> PATHS_THAT_MATTER = List.of(
            "/actor/account_id", "/actor/uuid", "/actor/display_name", "/actor/type",
            "/repository/full_name", "/repository/uuid", "/repository/workspace/slug", "/repository/name",
            "/pullrequest/id", "/pullrequest/title", "/pullrequest/description", "/pullrequest/state",
            "/pullrequest/source/branch/name", "/pullrequest/source/commit/hash",
            "/pullrequest/destination/branch/name", "/pullrequest/author/uuid", "/pullrequest/author/display_name",
            "/pullrequest/links/html/href");

    private World world;
    private Receiver receiver;

    @BeforeEach
    void start() {
        world = World.start();
        receiver = new Receiver();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), "s", "pullrequest:created",
                "pullrequest:comment_created");
    }

    @AfterEach
    void stop() {
        world.close();
        receiver.close();
    }

    @Test
    void pullRequestCreatedHasTheFieldsOfTheRealFixtureWithTheSameTypes() {
        JsonNode fixture = Fixtures.json("pullrequest-created__bbs-plugin.json");
        world.api.post(World.REPO + "/pullrequests",
                "{\"title\":\"Add search\",\"source\":{\"branch\":{\"name\":\"feature/search\"}},\"draft\":true}");

        JsonNode payload = world.fake.awaitDeliveries(1, WAIT).getFirst().json();

        for (String path : PATHS_THAT_MATTER) {
            assertThat(payload.at(path).getNodeType()).as(path).isEqualTo(fixture.at(path).getNodeType());
        }
        // The 2024 created fixture predates "draft"; the 2026 updated one has it.
        JsonNode recent = Fixtures.json("pullrequest-updated__bbs-plugin.json");
        assertThat(payload.at("/pullrequest/draft").getNodeType()).isEqualTo(recent.at("/pullrequest/draft").getNodeType());
        assertThat(payload.at("/pullrequest/draft").asBoolean()).isTrue();
        assertThat(payload.at("/pullrequest/source/commit/hash").asText()).hasSize(12);
        assertThat(payload.at("/actor/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(payload.at("/repository/workspace/slug").asText()).isEqualTo("acme");
    }

    @Test
    void pullRequestCreatedHasEveryFieldPathOfTheRealFixture() {
        JsonNode fixture = Fixtures.json("pullrequest-created__bbs-plugin.json");
        world.api.post(World.REPO + "/pullrequests",
                "{\"title\":\"Add search\",\"source\":{\"branch\":{\"name\":\"feature/search\"}}}");

        JsonNode payload = world.fake.awaitDeliveries(1, WAIT).getFirst().json();

        assertThat(paths(payload, "")).containsAll(paths(fixture, ""));
    }

    @Test
    void anInlineReplyCommentCarriesContentInlineParentAndUser() {
        world.openSearchPullRequest();
        long parent = world.fake.pullRequest("acme", "widgets", 1).comment(world.alice, "why?").id();
        world.api.post(World.REPO + "/pullrequests/1/comments", "{\"content\":{\"raw\":\"because\"},"
                + "\"inline\":{\"path\":\"src/search.py\",\"to\":1},\"parent\":{\"id\":" + parent + "}}");

        JsonNode payload = world.fake.awaitDeliveries(1, WAIT).getFirst().json();

        assertThat(payload.at("/comment/type").asText()).isEqualTo("pullrequest_comment");
        assertThat(payload.at("/comment/content/raw").asText()).isEqualTo("because");
        assertThat(payload.at("/comment/inline/path").asText()).isEqualTo("src/search.py");
        assertThat(payload.at("/comment/inline/to").asInt()).isEqualTo(1);
        assertThat(payload.at("/comment/parent/id").asLong()).isEqualTo(parent);
        assertThat(payload.at("/comment/user/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(payload.at("/pullrequest/comment_count").asInt()).isEqualTo(2);
        Set<String> fixtureComment = paths(Fixtures.json("pullrequest-comment_created__go-scm.json").path("comment"), "");
        assertThat(paths(payload.path("comment"), "")).containsAll(fixtureComment);
    }

    @Test
    void pushingToTheSourceBranchEmitsPullRequestUpdatedWithTheNewHead() {
        world.openSearchPullRequest();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), "s", "pullrequest:updated");
        world.fake.emitEventsFromSeeds(true);

        String head = world.fake.workspace("acme").repo("widgets")
                .commit("feature/search", Map.of("src/search.py", "def search(q):\n    return [q]\n"), "take q", world.alice);
        JsonNode payload = world.fake.awaitDeliveries(1, WAIT).getFirst().json();

        assertThat(payload.at("/pullrequest/source/commit/hash").asText()).isEqualTo(head.substring(0, 12));
        assertThat(world.fake.pullRequest("acme", "widgets", 1).view().sourceCommit()).isEqualTo(head);
    }

    /** Every object field path ("/a/b"); array elements are walked but not numbered. */
    private static Set<String> paths(JsonNode node, String prefix) {
        Set<String> out = new TreeSet<>();
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String path = prefix + "/" + e.getKey();
                out.add(path);
                out.addAll(paths(e.getValue(), path));
            }
        } else if (node.isArray()) {
            node.forEach(element -> out.addAll(paths(element, prefix + "[]")));
        }
        return out;
    }
}
