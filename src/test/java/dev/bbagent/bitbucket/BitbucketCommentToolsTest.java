package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.CommentView;
import dev.bbagent.fake.bitbucket.PullRequestSeed;
import dev.bbagent.mcp.ToolResult;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketCommentToolsTest {

    private static final String COMMENTS = Fixture.REPO + "/pullrequests/1/comments";

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

    @Test
    void listCommentsShowsTextAnchorsAndRepliesButNotDeletedOnes() {
        PullRequestSeed pr = f.fake.pullRequest("acme", "widgets", 1);
        CommentView general = pr.comment(f.alice, "Looks good overall");
        pr.inlineComment(f.alice, "Off by one?", "src/search.py", 2);
        pr.reply(f.alice, general.id(), "Also: tests");
        f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "to be deleted"));
        long doomed = f.fake.comments("acme", "widgets", 1).getLast().id();
        f.client.delete(ApiPath.of("repositories", "acme", "widgets", "pullrequests", "1", "comments",
                Long.toString(doomed)), Query.empty());
        f.fake.clearRequests();

        JsonNode r = f.callJson("list_pull_request_comments", Fixture.pr(1));
        JsonNode withDeleted = f.callJson("list_pull_request_comments", Fixture.pr(1, "include_deleted", true));

        assertThat(f.requests().getFirst().line()).isEqualTo("GET " + COMMENTS);
        assertThat(r.path("values")).extracting(c -> c.path("content").asText())
                .containsExactly("Looks good overall", "Off by one?", "Also: tests");
        JsonNode inline = r.at("/values/1");
        assertThat(inline.at("/inline/path").asText()).isEqualTo("src/search.py");
        assertThat(inline.at("/inline/to").asInt()).isEqualTo(2);
        assertThat(inline.at("/author/display_name").asText()).isEqualTo("Alice Liddell");
        assertThat(r.at("/values/2/parent_id").asLong()).isEqualTo(general.id());
        assertThat(r.at("/values/0").has("inline")).isFalse();
        assertThat(r.at("/values/0/url").asText()).contains("#comment-" + general.id());
        assertThat(r.path("deleted_hidden").asInt()).isEqualTo(1);
        assertThat(withDeleted.has("deleted_hidden")).isFalse();
        assertThat(withDeleted.path("values")).hasSize(4);
        assertThat(withDeleted.at("/values/3/deleted").asBoolean()).isTrue();
    }

    @Test
    void listCommentsFollowsPages() {
        PullRequestSeed pr = f.fake.pullRequest("acme", "widgets", 1);
        for (int i = 1; i <= 60; i++) {
            pr.comment(f.alice, "comment " + i);
        }

        JsonNode all = f.callJson("list_pull_request_comments", Fixture.pr(1));
        JsonNode some = f.callJson("list_pull_request_comments", Fixture.pr(1, "limit", 10));

        assertThat(all.path("values")).hasSize(60);
        assertThat(all.path("values").get(59).path("content").asText()).isEqualTo("comment 60");
        assertThat(f.requests().subList(0, 2)).extracting(r -> r.query()).containsExactly("pagelen=50",
                "pagelen=50&page=2");
        assertThat(some.path("more").asText()).isEqualTo("showing 10 of 60 comments; pass limit (up to 500) to see more");
    }

    @Test
    void aGeneralComment() {
        JsonNode c = f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "Nice **work**"));

        assertThat(f.last().line()).isEqualTo("POST " + COMMENTS);
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"content\":{\"raw\":\"Nice **work**\"}}"));
        assertThat(c.path("content").asText()).isEqualTo("Nice **work**");
        assertThat(c.at("/author/uuid").asText()).isEqualTo(f.bot.uuid());
    }

    @Test
    void anInlineCommentOnANewLineAndOnARemovedLine() {
        JsonNode onNew = f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "Return None?",
                "path", "src/search.py", "line", 2));
        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"content\":{\"raw\":\"Return None?\"},\"inline\":{\"path\":\"src/search.py\",\"to\":2}}"));
        f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "Why removed?", "path", "README.md",
                "from_line", 1));
        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"content\":{\"raw\":\"Why removed?\"},\"inline\":{\"path\":\"README.md\",\"from\":1}}"));

        assertThat(onNew.at("/inline/path").asText()).isEqualTo("src/search.py");
        assertThat(onNew.at("/inline/to").asInt()).isEqualTo(2);
        assertThat(f.fake.comments("acme", "widgets", 1)).extracting(CommentView::inline)
                .containsExactly(new CommentView.Inline("src/search.py", null, 2),
                        new CommentView.Inline("README.md", 1, null));
    }

    @Test
    void aReply() {
        CommentView question = f.fake.pullRequest("acme", "widgets", 1).comment(f.alice, "@bbagent why?");

        JsonNode reply = f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "Because.",
                "parent_id", question.id()));

        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"content\":{\"raw\":\"Because.\"},\"parent\":{\"id\":" + question.id() + "}}"));
        assertThat(reply.path("parent_id").asLong()).isEqualTo(question.id());
    }

    @Test
    void anchorsThatDoNotFitTogetherAreRefusedBeforeCallingBitbucket() {
        List<ToolResult> results = List.of(
                f.call("create_pull_request_comment", Fixture.pr(1, "content", "x", "path", "a.py")),
                f.call("create_pull_request_comment", Fixture.pr(1, "content", "x", "line", 3)),
                f.call("create_pull_request_comment", Fixture.pr(1, "content", "x", "parent_id", 5, "path", "a.py",
                        "line", 1)),
                f.call("create_pull_request_comment", Fixture.pr(1, "content", " ")),
                f.call("create_pull_request_comment", Fixture.pr(1, "content", "x", "line", 0, "path", "a.py")));

        assertThat(results).allMatch(ToolResult::isError);
        assertThat(results).extracting(ToolResult::text).containsExactly(
                "an inline comment needs line (new version) or from_line (old version) with path",
                "an inline comment needs path as well as line or from_line",
                "a reply (parent_id) is shown where its parent is; leave out path, line and from_line",
                "missing required argument 'content'",
                "argument 'line' must be a positive number, not 0");
        assertThat(f.requests()).isEmpty();
    }

    @Test
    void updateACommentReplacesItsText() {
        JsonNode c = f.callJson("create_pull_request_comment", Fixture.pr(1, "content", "first"));

        JsonNode edited = f.callJson("update_pull_request_comment", Fixture.pr(1, "comment_id", c.path("id").asLong(),
                "content", "second"));

        assertThat(f.last().line()).isEqualTo("PUT " + COMMENTS + "/" + c.path("id").asLong());
        assertThat(f.last().json()).isEqualTo(Fixture.json("{\"content\":{\"raw\":\"second\"}}"));
        assertThat(edited.path("content").asText()).isEqualTo("second");
        assertThat(f.fake.comments("acme", "widgets", 1)).extracting(CommentView::raw).containsExactly("second");
    }

    @Test
    void updatingSomeoneElsesCommentIsAnError() {
        CommentView theirs = f.fake.pullRequest("acme", "widgets", 1).comment(f.alice, "mine");

        ToolResult r = f.call("update_pull_request_comment", Fixture.pr(1, "comment_id", theirs.id(), "content", "x"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("403").contains("You can only edit your own comments.");
    }
}
