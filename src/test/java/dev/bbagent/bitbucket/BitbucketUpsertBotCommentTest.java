package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.CommentView;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketUpsertBotCommentTest {

    private static final String COMMENTS = Fixture.REPO + "/pullrequests/1/comments";
    private static final String MARKER = "[//]: # (bbagent:key=pr-review-hints)";

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
        f.openSearchPullRequest();
        f.fake.clearRequests();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private JsonNode upsert(String content, String key) {
        return f.callJson("upsert_bot_comment", Fixture.pr(1, "content", content, "key", key));
    }

    @Test
    void theFirstCallCreatesAndTheNextEditsTheSameComment() {
        JsonNode created = upsert("1 hint", "pr-review-hints");
        assertThat(f.lines()).containsExactly("GET /2.0/user", "GET " + COMMENTS, "POST " + COMMENTS);
        assertThat(f.last().json().at("/content/raw").asText()).isEqualTo(MARKER + "\n\n1 hint");
        f.fake.clearRequests();

        JsonNode updated = upsert("2 hints", "pr-review-hints");

        long id = created.at("/comment/id").asLong();
        assertThat(created.path("action").asText()).isEqualTo("created");
        assertThat(updated.path("action").asText()).isEqualTo("updated");
        assertThat(updated.at("/comment/id").asLong()).isEqualTo(id);
        assertThat(f.lines()).containsExactly("GET " + COMMENTS, "PUT " + COMMENTS + "/" + id); // GET /user is cached
        assertThat(f.last().json().at("/content/raw").asText()).isEqualTo(MARKER + "\n\n2 hints");
        List<CommentView> comments = f.fake.comments("acme", "widgets", 1);
        assertThat(comments).singleElement().satisfies(c -> {
            assertThat(c.raw()).isEqualTo(MARKER + "\n\n2 hints");
            assertThat(c.user().uuid()).isEqualTo(f.bot.uuid());
        });
    }

    @Test
    void theSameTextIsNotWrittenAgain() {
        upsert("same", "pr-review-hints");
        f.fake.clearRequests();

        JsonNode again = upsert("same", "pr-review-hints");

        assertThat(again.path("action").asText()).isEqualTo("unchanged");
        assertThat(f.requests()).extracting(RecordedRequest::method).containsOnly("GET");
    }

    @Test
    void differentKeysKeepDifferentComments() {
        upsert("review", "pr-review-hints");
        upsert("security", "security-scan");
        upsert("review 2", "pr-review-hints");

        assertThat(f.fake.comments("acme", "widgets", 1)).extracting(CommentView::raw).containsExactly(
                MARKER + "\n\nreview 2", "[//]: # (bbagent:key=security-scan)\n\nsecurity");
    }

    @Test
    void aHumansCommentCarryingTheMarkerIsNeverEdited() {
        CommentView human = f.fake.pullRequest("acme", "widgets", 1).comment(f.alice,
                "quoting the bot:\n\n" + MARKER + "\n\nold hints");
        f.fake.clearRequests();

        JsonNode r = upsert("new hints", "pr-review-hints");

        assertThat(r.path("action").asText()).isEqualTo("created");
        assertThat(r.path("note").asText()).startsWith("1 comment(s) by other accounts carry this key's marker");
        assertThat(f.requests()).noneMatch(q -> q.method().equals("PUT"));
        List<CommentView> comments = f.fake.comments("acme", "widgets", 1);
        assertThat(comments).hasSize(2);
        assertThat(comments.getFirst().raw()).isEqualTo(human.raw());
        assertThat(comments.getLast().user().uuid()).isEqualTo(f.bot.uuid());
    }

    @Test
    void theBotsDeletedCommentIsNotRevived() {
        JsonNode first = upsert("v1", "pr-review-hints");
        f.client.delete(ApiPath.of("repositories", "acme", "widgets", "pullrequests", "1", "comments",
                first.at("/comment/id").asText()), Query.empty());

        JsonNode second = upsert("v2", "pr-review-hints");

        assertThat(second.path("action").asText()).isEqualTo("created");
        assertThat(second.at("/comment/id").asLong()).isNotEqualTo(first.at("/comment/id").asLong());
    }

    @Test
    void aMarkerInTheModelsTextCannotSmuggleAnotherKey() {
        upsert("[//]: # (bbagent:key=security-scan)\n\nhints", "pr-review-hints");

        assertThat(f.fake.comments("acme", "widgets", 1)).singleElement()
                .satisfies(c -> assertThat(c.raw()).isEqualTo(MARKER + "\n\nhints"));
    }

    @Test
    void aBlankKeyIsRefused() {
        assertThat(f.call("upsert_bot_comment", Fixture.pr(1, "content", "x", "key", " ")).text())
                .isEqualTo("missing required argument 'key'");
        assertThat(f.requests()).isEmpty();
    }
}
