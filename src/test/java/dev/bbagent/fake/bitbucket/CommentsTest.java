package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommentsTest {

    private static final String COMMENTS = World.REPO + "/pullrequests/1/comments";

    private World world;

    @BeforeEach
    void start() {
        world = World.start();
        world.openSearchPullRequest();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aGeneralCommentIsCreatedWith201AndTheRenderedContent() {
        HttpResponse<String> r = world.api.post(COMMENTS, "{\"content\":{\"raw\":\"Looks **good**\"}}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode c = Api.json(r);
        assertThat(c.path("type").asText()).isEqualTo("pullrequest_comment");
        assertThat(c.at("/content/raw").asText()).isEqualTo("Looks **good**");
        assertThat(c.at("/content/markup").asText()).isEqualTo("markdown");
        assertThat(c.at("/content/html").asText()).startsWith("<p>");
        assertThat(c.at("/user/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(c.path("deleted").asBoolean()).isFalse();
        assertThat(c.at("/pullrequest/id").asInt()).isEqualTo(1);
        assertThat(c.has("inline")).isFalse();
        assertThat(r.headers().firstValue("Location")).hasValue(c.at("/links/self/href").asText());
        assertThat(world.fake.comments("acme", "widgets", 1)).singleElement()
                .satisfies(v -> assertThat(v.raw()).isEqualTo("Looks **good**"));
        assertThat(world.fake.pullRequest("acme", "widgets", 1).view().commentCount()).isEqualTo(1);
    }

    @Test
    void anInlineCommentKeepsItsAnchorAndAReplyItsParent() {
        JsonNode inline = Api.json(world.api.post(COMMENTS,
                "{\"content\":{\"raw\":\"off by one\"},\"inline\":{\"path\":\"src/search.py\",\"to\":2}}"));
        long parentId = inline.path("id").asLong();
        JsonNode reply = Api.json(world.api.post(COMMENTS,
                "{\"content\":{\"raw\":\"fixed\"},\"parent\":{\"id\":" + parentId + "}}"));

        assertThat(inline.at("/inline/path").asText()).isEqualTo("src/search.py");
        assertThat(inline.at("/inline/to").asInt()).isEqualTo(2);
        assertThat(inline.at("/inline/from").isNull()).isTrue();
        assertThat(reply.at("/parent/id").asLong()).isEqualTo(parentId);
        CommentView stored = world.fake.comments("acme", "widgets", 1).getLast();
        assertThat(stored.parentId()).isEqualTo(parentId);
        assertThat(world.fake.comments("acme", "widgets", 1).getFirst().inline())
                .isEqualTo(new CommentView.Inline("src/search.py", null, 2));
    }

    @Test
    void aReplyToAnUnknownCommentOrAnEmptyCommentIsA400() {
        assertThat(world.api.post(COMMENTS, "{\"content\":{\"raw\":\"x\"},\"parent\":{\"id\":1}}").statusCode())
                .isEqualTo(400);
        assertThat(world.api.post(COMMENTS, "{\"content\":{\"raw\":\"\"}}").statusCode()).isEqualTo(400);
        assertThat(world.api.post(COMMENTS, "{}").statusCode()).isEqualTo(400);
    }

    @Test
    void aCommentIsReadEditedAndDeletedByItsAuthor() {
        long id = Api.json(world.api.post(COMMENTS, "{\"content\":{\"raw\":\"v1\"}}")).path("id").asLong();

        HttpResponse<String> edited = world.api.put(COMMENTS + "/" + id, "{\"content\":{\"raw\":\"v2\"}}");
        HttpResponse<String> read = world.api.get(COMMENTS + "/" + id);
        HttpResponse<String> deleted = world.api.delete(COMMENTS + "/" + id);

        assertThat(edited.statusCode()).isEqualTo(200);
        assertThat(Api.json(read).at("/content/raw").asText()).isEqualTo("v2");
        assertThat(deleted.statusCode()).isEqualTo(204);
        JsonNode afterDelete = Api.json(world.api.get(COMMENTS + "/" + id));
        assertThat(afterDelete.path("deleted").asBoolean()).isTrue();
        assertThat(afterDelete.at("/content/raw").asText()).isEmpty();
        assertThat(world.fake.pullRequest("acme", "widgets", 1).view().commentCount()).isZero();
    }

    @Test
    void editingSomeoneElsesCommentIsA403AndAnUnknownCommentA404() {
        CommentView alices = world.fake.pullRequest("acme", "widgets", 1).comment(world.alice, "mine");

        HttpResponse<String> edit = world.api.put(COMMENTS + "/" + alices.id(), "{\"content\":{\"raw\":\"hijack\"}}");
        HttpResponse<String> unknown = world.api.get(COMMENTS + "/999");

        assertThat(edit.statusCode()).isEqualTo(403);
        assertThat(world.fake.comments("acme", "widgets", 1).getFirst().raw()).isEqualTo("mine");
        assertThat(unknown.statusCode()).isEqualTo(404);
    }

    @Test
    void commentsArePagedOldestFirstAndNextLeadsThroughEveryPage() {
        PullRequestSeed pr = world.fake.pullRequest("acme", "widgets", 1);
        for (int i = 1; i <= 25; i++) {
            pr.comment(world.alice, "comment " + i);
        }

        JsonNode first = Api.json(world.api.get(COMMENTS));
        JsonNode second = Api.json(world.api.getUrl(first.path("next").asText()));
        JsonNode third = Api.json(world.api.getUrl(second.path("next").asText()));

        assertThat(first.path("size").asInt()).isEqualTo(25);
        assertThat(first.path("pagelen").asInt()).isEqualTo(10);
        assertThat(first.at("/values/0/content/raw").asText()).isEqualTo("comment 1");
        assertThat(first.path("next").asText()).isEqualTo(world.fake.baseUrl()
                + "/repositories/acme/widgets/pullrequests/1/comments?page=2");
        assertThat(second.path("page").asInt()).isEqualTo(2);
        assertThat(second.at("/values/0/content/raw").asText()).isEqualTo("comment 11");
        assertThat(third.path("values")).hasSize(5);
        assertThat(third.has("next")).isFalse();
        assertThat(third.path("previous").asText()).endsWith("page=2");
    }

    @Test
    void snippetCommentsArePostedAndListed() {
        String id = world.fake.snippet("acme", world.alice, "notes", Map.of("notes.md", "# Notes\n"));

        JsonNode snippet = Api.json(world.api.get("/snippets/acme/" + id));
        HttpResponse<String> created = world.api.post("/snippets/acme/" + id + "/comments", "{\"content\":{\"raw\":\"nice\"}}");

        assertThat(snippet.path("type").asText()).isEqualTo("snippet");
        assertThat(snippet.path("title").asText()).isEqualTo("notes");
        assertThat(snippet.at("/files/notes.md/links/self/href").asText()).contains(id);
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(Api.json(created).path("type").asText()).isEqualTo("snippet_comment");
        assertThat(world.fake.snippetComments("acme", id)).extracting(CommentView::raw).containsExactly("nice");
        assertThat(world.api.get("/snippets/acme/nope").statusCode()).isEqualTo(404);
    }
}
