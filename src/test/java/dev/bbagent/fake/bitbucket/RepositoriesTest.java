package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepositoriesTest {

    private World world;

    @BeforeEach
    void start() {
        world = World.start();
    }

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void aRepositoryHasTheDocumentedShape() {
        HttpResponse<String> r = world.api.get(World.REPO);

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode repo = Api.json(r);
        assertThat(repo.path("type").asText()).isEqualTo("repository");
        assertThat(repo.path("full_name").asText()).isEqualTo("acme/widgets");
        assertThat(repo.path("uuid").asText()).startsWith("{");
        assertThat(repo.at("/mainbranch/name").asText()).isEqualTo("main");
        assertThat(repo.at("/workspace/slug").asText()).isEqualTo("acme");
        assertThat(repo.at("/project/type").asText()).isEqualTo("project");
        assertThat(repo.at("/links/self/href").asText()).isEqualTo(world.fake.baseUrl() + "/repositories/acme/widgets");
        assertThat(repo.path("has_issues").asBoolean()).isFalse();
    }

    @Test
    void repositoriesOfAWorkspaceAreListedPaginated() {
        JsonNode page = Api.json(world.api.get("/repositories/acme"));

        assertThat(page.path("pagelen").asInt()).isEqualTo(10);
        assertThat(page.path("size").asInt()).isEqualTo(1);
        assertThat(page.path("page").asInt()).isEqualTo(1);
        assertThat(page.has("next")).isFalse();
        assertThat(page.at("/values/0/slug").asText()).isEqualTo("widgets");
    }

    @Test
    void aRepositoryIsCreatedWithPostAndDeletedWithDelete() {
        HttpResponse<String> created = world.api.post("/repositories/acme/gadgets",
                "{\"scm\":\"git\",\"is_private\":false,\"project\":{\"key\":\"PROJ\"},\"description\":\"d\"}");
        HttpResponse<String> again = world.api.post("/repositories/acme/gadgets", "{\"scm\":\"git\"}");

        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(Api.json(created).path("is_private").asBoolean()).isFalse();
        assertThat(Api.json(created).path("mainbranch").isNull()).isTrue();
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(world.fake.hasRepository("acme", "gadgets")).isTrue();

        HttpResponse<String> deleted = world.api.delete("/repositories/acme/gadgets");

        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(world.fake.hasRepository("acme", "gadgets")).isFalse();
        assertThat(world.api.get("/repositories/acme/gadgets").statusCode()).isEqualTo(404);
    }

    @Test
    void aBranchIsCreatedFromAHashPrefixWith201() {
        String head = world.fake.branches("acme", "widgets").get("main");

        HttpResponse<String> r = world.api.post(World.REPO + "/refs/branches",
                "{\"name\":\"fix/typo\",\"target\":{\"hash\":\"" + head.substring(0, 12) + "\"}}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode branch = Api.json(r);
        assertThat(branch.path("type").asText()).isEqualTo("branch");
        assertThat(branch.path("name").asText()).isEqualTo("fix/typo");
        assertThat(branch.at("/target/hash").asText()).isEqualTo(head);
        assertThat(world.fake.branches("acme", "widgets")).containsEntry("fix/typo", head);
        assertThat(world.api.get(World.REPO + "/refs/branches/fix/typo").statusCode()).isEqualTo(200);
    }

    @Test
    void creatingAnExistingBranchOrFromAnUnknownCommitIsA400() {
        HttpResponse<String> exists = world.api.post(World.REPO + "/refs/branches",
                "{\"name\":\"main\",\"target\":{\"hash\":\"main\"}}");
        HttpResponse<String> unknown = world.api.post(World.REPO + "/refs/branches",
                "{\"name\":\"x\",\"target\":{\"hash\":\"0123456789ab\"}}");
        HttpResponse<String> noName = world.api.post(World.REPO + "/refs/branches", "{\"target\":{\"hash\":\"main\"}}");

        assertThat(exists.statusCode()).isEqualTo(400);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(Api.json(noName).at("/error/fields/name/0").asText()).isEqualTo("This field is required.");
    }

    @Test
    void aFileIsServedRawAtABranchOrAHash() {
        String hash = world.fake.branches("acme", "widgets").get("feature/search");

        HttpResponse<String> byBranch = world.api.get(World.REPO + "/src/main/src/app.py");
        HttpResponse<String> byHash = world.api.get(World.REPO + "/src/" + hash.substring(0, 12) + "/src/search.py");
        HttpResponse<String> encodedBranch = world.api.get(World.REPO + "/src/feature%2Fsearch/src/search.py");

        assertThat(byBranch.statusCode()).isEqualTo(200);
        assertThat(byBranch.body()).isEqualTo("print('hi')\n");
        assertThat(byBranch.headers().firstValue("Content-Type").orElse("")).startsWith("text/x-python");
        assertThat(byHash.body()).isEqualTo("def search():\n    return []\n");
        assertThat(encodedBranch.body()).isEqualTo(byHash.body());
    }

    @Test
    void aMissingFileOrCommitIsA404() {
        HttpResponse<String> file = world.api.get(World.REPO + "/src/main/nope.txt");
        HttpResponse<String> commit = world.api.get(World.REPO + "/src/nobranch/README.md");

        assertThat(file.statusCode()).isEqualTo(404);
        assertThat(Api.json(file).at("/error/message").asText()).contains("nope.txt");
        assertThat(commit.statusCode()).isEqualTo(404);
    }

    @Test
    void aDirectoryIsListedAndMetaDescribesAFile() {
        JsonNode root = Api.json(world.api.get(World.REPO + "/src/main/"));
        JsonNode meta = Api.json(world.api.get(World.REPO + "/src/main/README.md?format=meta"));

        assertThat(root.path("values")).extracting(v -> v.path("type").asText() + ":" + v.path("path").asText())
                .containsExactly("commit_directory:src", "commit_file:README.md");
        assertThat(meta.path("type").asText()).isEqualTo("commit_file");
        assertThat(meta.path("size").asInt()).isEqualTo(10);
    }
}
