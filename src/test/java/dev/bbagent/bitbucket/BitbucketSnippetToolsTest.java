package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.CommentView;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketSnippetToolsTest {

    private Fixture f;
    private String id;

    @BeforeEach
    void start() {
        f = Fixture.start();
        id = f.fake.snippet("acme", f.alice, "Deploy notes", Map.of("deploy.sh", "echo deploy\n"));
        f.fake.clearRequests();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void getSnippetIsCompact() {
        JsonNode s = f.callJson("get_snippet", Map.of("workspace", "acme", "encoded_id", id));

        assertThat(f.last().line()).isEqualTo("GET /2.0/snippets/acme/" + id);
        assertThat(s.path("id").asText()).isEqualTo(id);
        assertThat(s.path("title").asText()).isEqualTo("Deploy notes");
        assertThat(s.at("/owner/display_name").asText()).isEqualTo("Alice Liddell");
        assertThat(s.path("files")).extracting(JsonNode::asText).containsExactly("deploy.sh");
        assertThat(s.has("links")).isFalse();
    }

    @Test
    void createSnippetCommentAndReply() {
        JsonNode first = f.callJson("create_snippet_comment", Map.of("workspace", "acme", "encoded_id", id,
                "content", "Needs a rollback step"));
        assertThat(f.last().line()).isEqualTo("POST /2.0/snippets/acme/" + id + "/comments");
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"content\":{\"raw\":\"Needs a rollback step\"}}"));

        JsonNode reply = f.callJson("create_snippet_comment", Map.of("workspace", "acme", "encoded_id", id,
                "content", "Added", "parent_id", first.path("id").asLong()));

        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"content\":{\"raw\":\"Added\"},\"parent\":{\"id\":" + first.path("id").asLong() + "}}"));
        assertThat(reply.path("parent_id").asLong()).isEqualTo(first.path("id").asLong());
        assertThat(reply.at("/author/display_name").asText()).isEqualTo("bbagent");
        List<CommentView> comments = f.fake.snippetComments("acme", id);
        assertThat(comments).extracting(CommentView::raw).containsExactly("Needs a rollback step", "Added");
    }

    @Test
    void anUnknownSnippetIsAnError() {
        assertThat(f.call("get_snippet", Map.of("workspace", "acme", "encoded_id", "nope")).text())
                .startsWith("Not found: GET /2.0/snippets/acme/nope (404)");
    }
}
