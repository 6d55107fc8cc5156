package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import dev.bbagent.mcp.ToolResult;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketRepositoryToolsTest {

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
        f.fake.clearRequests();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void getCurrentUserIsTheBot() {
        JsonNode me = f.callJson("get_current_user", Map.of());

        assertThat(f.lines()).containsExactly("GET /2.0/user");
        assertThat(me.path("uuid").asText()).isEqualTo(f.bot.uuid());
        assertThat(me.path("account_id").asText()).isEqualTo(f.bot.accountId());
        assertThat(me.path("display_name").asText()).isEqualTo("bbagent");
        assertThat(me.path("type").asText()).isEqualTo("app_user");
        assertThat(me.has("links")).isFalse();
    }

    @Test
    void listWorkspacesUsesUserWorkspaces() {
        f.fake.workspace("other").member(f.alice);

        JsonNode r = f.callJson("list_workspaces", Map.of());

        assertThat(f.lines()).containsExactly("GET /2.0/user/workspaces");
        assertThat(r.path("values")).hasSize(1);
        assertThat(r.at("/values/0/slug").asText()).isEqualTo("acme");
        assertThat(r.at("/values/0/administrator").asBoolean()).isTrue();
        assertThat(r.at("/values/0/url").asText()).endsWith("/acme/");
        assertThat(r.path("total").asInt()).isEqualTo(1);
        assertThat(r.has("more")).isFalse();
    }

    @Test
    void listWorkspaceMembersGivesAccountIds() {
        JsonNode r = f.callJson("list_workspace_members", Map.of("workspace", "acme"));

        assertThat(f.lines()).containsExactly("GET /2.0/workspaces/acme/members");
        assertThat(r.path("values")).extracting(v -> v.path("account_id").asText())
                .containsExactly(f.bot.accountId(), f.alice.accountId());
        assertThat(r.at("/values/1/display_name").asText()).isEqualTo("Alice Liddell");
    }

    @Test
    void listRepositoriesPagesAndSaysHowToSeeMore() {
        for (int i = 1; i <= 30; i++) {
            f.fake.workspace("acme").repo(String.format("r%02d", i)).description("repo " + i);
        }
        f.fake.clearRequests();

        JsonNode first = f.callJson("list_repositories", Map.of("workspace", "acme", "limit", 5,
                "sort", "-updated_on", "role", "member"));
        JsonNode all = f.callJson("list_repositories", Map.of("workspace", "acme", "limit", 100));

        RecordedRequest r = f.requests().getFirst();
        assertThat(r.line()).isEqualTo("GET /2.0/repositories/acme");
        assertThat(r.query()).contains("sort=-updated_on").contains("role=member").contains("pagelen=5");
        assertThat(first.path("values")).hasSize(5);
        assertThat(first.path("total").asInt()).isEqualTo(31);
        assertThat(first.path("more").asText()).isEqualTo("showing 5 of 31 repositories; pass limit (up to 100) to see more");
        assertThat(first.at("/values/0").has("full_name")).isTrue();
        assertThat(first.at("/values/0").has("links")).isFalse();
        assertThat(all.path("values")).hasSize(31);
        assertThat(all.has("more")).isFalse();
        assertThat(f.requests()).hasSize(2); // 31 fit in one page of 50
    }

    @Test
    void createRepositorySendsScmPrivacyAndProject() {
        JsonNode r = f.callJson("create_repository", Fixture.args("workspace", "acme", "repo_slug", "gadgets",
                "project_key", "PROJ", "description", "Gadgets", "is_private", false));

        RecordedRequest sent = f.last();
        assertThat(sent.line()).isEqualTo("POST /2.0/repositories/acme/gadgets");
        assertThat(sent.json()).isEqualTo(Fixture.json(
                "{\"scm\":\"git\",\"is_private\":false,\"project\":{\"key\":\"PROJ\"},\"description\":\"Gadgets\"}"));
        assertThat(r.path("full_name").asText()).isEqualTo("acme/gadgets");
        assertThat(r.path("is_private").asBoolean()).isFalse();
        assertThat(f.fake.hasRepository("acme", "gadgets")).isTrue();
    }

    @Test
    void deleteRepositoryDeletes() {
        JsonNode r = f.callJson("delete_repository", Fixture.repo("redirect_to", "https://example.com/new"));

        assertThat(f.last().line()).isEqualTo("DELETE /2.0/repositories/acme/widgets");
        assertThat(f.last().query()).isEqualTo("redirect_to=https%3A%2F%2Fexample.com%2Fnew");
        assertThat(r.path("deleted").asText()).isEqualTo("acme/widgets");
        assertThat(f.fake.hasRepository("acme", "widgets")).isFalse();
    }

    @Test
    void createBranchSendsNameAndTargetHash() {
        String head = f.fake.branches("acme", "widgets").get("main");

        JsonNode r = f.callJson("create_branch", Fixture.repo("name", "bbagent/fix", "target", head.substring(0, 12)));

        assertThat(f.last().line()).isEqualTo("POST /2.0/repositories/acme/widgets/refs/branches");
        assertThat(f.last().json()).isEqualTo(Fixture.json(
                "{\"name\":\"bbagent/fix\",\"target\":{\"hash\":\"" + head.substring(0, 12) + "\"}}"));
        assertThat(r.path("name").asText()).isEqualTo("bbagent/fix");
        assertThat(r.path("commit").asText()).isEqualTo(head);
        assertThat(f.fake.branches("acme", "widgets")).containsEntry("bbagent/fix", head);

        ToolResult again = f.call("create_branch", Fixture.repo("name", "bbagent/fix", "target", head));
        assertThat(again.isError()).isTrue();
        assertThat(again.text()).contains("400").contains("already exists");
    }

    @Test
    void getFileReadsAtACommitOrTheMainBranch() {
        String head = f.fake.branches("acme", "widgets").get("main");

        ToolResult atCommit = f.call("get_file", Fixture.repo("path", "src/app.py", "commit", head));
        assertThat(f.lines()).containsExactly("GET /2.0/repositories/acme/widgets/src/" + head + "/src/app.py");
        f.fake.clearRequests();
        ToolResult atMain = f.call("get_file", Fixture.repo("path", "/README.md"));

        assertThat(atCommit.text()).isEqualTo("print('hi')\n");
        assertThat(atMain.text()).isEqualTo("# Widgets\n");
        assertThat(f.lines()).containsExactly("GET /2.0/repositories/acme/widgets",
                "GET /2.0/repositories/acme/widgets/src/main/README.md");
    }

    @Test
    void getFileResolvesABranchWithASlashToItsHead() {
        String head = f.fake.branches("acme", "widgets").get("feature/search");

        ToolResult r = f.call("get_file", Fixture.repo("path", "src/search.py", "commit", "feature/search"));

        assertThat(r.text()).startsWith("def search():");
        assertThat(f.lines()).containsExactly("GET /2.0/repositories/acme/widgets/refs/branches/feature/search",
                "GET /2.0/repositories/acme/widgets/src/" + head + "/src/search.py");
    }

    @Test
    void getFileListsADirectory() {
        JsonNode root = f.callJson("get_file", Fixture.repo("commit", "main"));
        JsonNode src = f.callJson("get_file", Fixture.repo("commit", "main", "path", "src/"));

        assertThat(root.path("values")).extracting(v -> v.path("path").asText() + ":" + v.path("type").asText())
                .containsExactly("src:directory", "README.md:file");
        assertThat(src.path("values")).extracting(v -> v.path("path").asText()).containsExactly("src/app.py");
        assertThat(src.at("/values/0/size").asInt()).isEqualTo(12);
    }

    @Test
    void getFileReturnsAJsonFileAsItsTextNotAsAListing() {
        String json = "{\"values\":[1,2],\"pagelen\":10}\n";
        f.fake.workspace("acme").repo("widgets").branch("main", Map.of("config.json", json));

        ToolResult r = f.call("get_file", Fixture.repo("path", "config.json", "commit", "main"));

        assertThat(r.text()).isEqualTo(json);
        assertThat(f.requests()).hasSize(1);
    }

    @Test
    void getFileCutsALargeFileAndSaysSo() {
        f.fake.workspace("acme").repo("widgets").branch("main", Map.of("big.txt", "x".repeat(5_000)));

        ToolResult r = f.call("get_file", Fixture.repo("path", "big.txt", "commit", "main", "max_bytes", 1_000));

        assertThat(r.isError()).isFalse();
        assertThat(r.text()).startsWith("x".repeat(1_000) + "\n\n[bbagent: showing the first 1000 of 5000 bytes of "
                + "big.txt; pass a larger max_bytes");
    }

    @Test
    void getFileDescribesABinaryFile() {
        f.fake.workspace("acme").repo("widgets").branch("main", Map.of("logo.png", "\u0089PNG\r\n\u001a\n\u0000\u0000"));

        JsonNode r = f.callJson("get_file", Fixture.repo("path", "logo.png", "commit", "main"));

        assertThat(r.path("binary").asBoolean()).isTrue();
        assertThat(r.path("content_type").asText()).isEqualTo("image/png");
    }

    @Test
    void getFileOfAMissingPathIsAnError() {
        ToolResult r = f.call("get_file", Fixture.repo("path", "nope.txt", "commit", "main"));

        assertThat(r.isError()).isTrue();
        assertThat(r.text()).contains("404").contains("No such file or directory: nope.txt");
    }
}
