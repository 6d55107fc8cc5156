package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PullRequestsTest {

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
    void aPullRequestIsCreatedWith201AndDefaultsToTheMainBranch() {
        HttpResponse<String> r = world.api.post(World.REPO + "/pullrequests",
                "{\"title\":\"Add search\",\"source\":{\"branch\":{\"name\":\"feature/search\"}},\"description\":\"Adds it\"}");

        assertThat(r.statusCode()).isEqualTo(201);
        JsonNode pr = Api.json(r);
        assertThat(r.headers().firstValue("Location")).hasValue(pr.at("/links/self/href").asText());
        assertThat(pr.path("type").asText()).isEqualTo("pullrequest");
        assertThat(pr.path("id").asInt()).isEqualTo(1);
        assertThat(pr.path("state").asText()).isEqualTo("OPEN");
        assertThat(pr.path("draft").asBoolean()).isFalse();
        assertThat(pr.path("description").asText()).isEqualTo("Adds it");
        assertThat(pr.at("/destination/branch/name").asText()).isEqualTo("main");
        assertThat(pr.at("/source/commit/hash").asText()).hasSize(12);
        assertThat(pr.at("/author/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(pr.at("/links/html/href").asText()).endsWith("/acme/widgets/pull-requests/1");
        assertThat(world.fake.pullRequests("acme", "widgets")).singleElement()
                .satisfies(v -> assertThat(v.title()).isEqualTo("Add search"));
    }

    @Test
    void creatingWithoutATitleOrFromAnUnknownBranchIsA400() {
        HttpResponse<String> noTitle = world.api.post(World.REPO + "/pullrequests",
                "{\"source\":{\"branch\":{\"name\":\"feature/search\"}}}");
        HttpResponse<String> noBranch = world.api.post(World.REPO + "/pullrequests",
                "{\"title\":\"t\",\"source\":{\"branch\":{\"name\":\"nope\"}}}");
        HttpResponse<String> notJson = world.api.post(World.REPO + "/pullrequests", "{title");

        assertThat(noTitle.statusCode()).isEqualTo(400);
        assertThat(Api.json(noTitle).at("/error/fields/title/0").asText()).isEqualTo("This field is required.");
        assertThat(noBranch.statusCode()).isEqualTo(400);
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(Api.json(notJson).path("type").asText()).isEqualTo("error");
    }

    @Test
    void theListShowsOpenPullRequestsUnlessStatesAreAsked() {
        world.openSearchPullRequest();
        world.fake.workspace("acme").repo("widgets").branch("feature/b", java.util.Map.of("b.txt", "b\n"));
        PullRequestView second = world.fake.openPullRequest("acme", "widgets", "B", "feature/b", "main", world.alice);
        world.fake.pullRequest("acme", "widgets", second.id()).decline(world.alice);

        JsonNode open = Api.json(world.api.get(World.REPO + "/pullrequests"));
        JsonNode both = Api.json(world.api.get(World.REPO + "/pullrequests?state=OPEN&state=DECLINED"));

        assertThat(open.path("values")).extracting(v -> v.path("id").asInt()).containsExactly(1);
        assertThat(both.path("values")).extracting(v -> v.path("state").asText()).containsExactly("DECLINED", "OPEN");
    }

    @Test
    void anUnknownPullRequestIsA404() {
        HttpResponse<String> r = world.api.get(World.REPO + "/pullrequests/42");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Api.json(r).at("/error/message").asText()).contains("42");
    }

    @Test
    void putUpdatesTitleDescriptionAndDraft() {
        world.openSearchPullRequest();

        HttpResponse<String> r = world.api.put(World.REPO + "/pullrequests/1",
                "{\"title\":\"Search v2\",\"description\":\"Better\",\"draft\":true}");

        assertThat(r.statusCode()).isEqualTo(200);
        PullRequestView pr = world.fake.pullRequest("acme", "widgets", 1).view();
        assertThat(pr.title()).isEqualTo("Search v2");
        assertThat(pr.description()).isEqualTo("Better");
        assertThat(pr.draft()).isTrue();
    }

    @Test
    void approveAndRequestChangesMarkTheCallerAsParticipant() {
        world.openSearchPullRequest();

        HttpResponse<String> approve = world.api.post(World.REPO + "/pullrequests/1/approve", "");
        assertThat(approve.statusCode()).isEqualTo(200);
        assertThat(Api.json(approve).path("approved").asBoolean()).isTrue();
        assertThat(Api.json(approve).path("state").asText()).isEqualTo("approved");
        assertThat(world.fake.pullRequest("acme", "widgets", 1).view().approvedBy()).containsExactly(world.bot);

        HttpResponse<String> changes = world.api.post(World.REPO + "/pullrequests/1/request-changes", "");
        assertThat(Api.json(changes).path("state").asText()).isEqualTo("changes_requested");
        PullRequestView pr = world.fake.pullRequest("acme", "widgets", 1).view();
        assertThat(pr.approvedBy()).isEmpty();
        assertThat(pr.changesRequestedBy()).containsExactly(world.bot);

        assertThat(world.api.delete(World.REPO + "/pullrequests/1/request-changes").statusCode()).isEqualTo(204);
        assertThat(world.fake.pullRequest("acme", "widgets", 1).view().changesRequestedBy()).isEmpty();
    }

    @Test
    void mergingPutsTheSourceChangesOnTheDestination() {
        world.openSearchPullRequest();

        HttpResponse<String> r = world.api.post(World.REPO + "/pullrequests/1/merge", "{}");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(Api.json(r).path("state").asText()).isEqualTo("MERGED");
        assertThat(Api.json(r).at("/merge_commit/hash").asText()).hasSize(12);
        assertThat(Api.json(r).at("/closed_by/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(world.fake.file("acme", "widgets", "main", "src/search.py")).isPresent();
        assertThat(world.api.post(World.REPO + "/pullrequests/1/decline", "").statusCode()).isEqualTo(400);
    }

    @Test
    void theDiffIsA302ToTheDiffResourceWhichAnswersAUnifiedDiff() {
        world.openSearchPullRequest();

        HttpResponse<String> redirect = world.api.get(World.REPO + "/pullrequests/1/diff");

        assertThat(redirect.statusCode()).isEqualTo(302);
        String location = redirect.headers().firstValue("Location").orElseThrow();
        assertThat(location).startsWith(world.fake.baseUrl() + "/repositories/acme/widgets/diff/acme/widgets:")
                .contains("%0D").endsWith("?from_pullrequest_id=1&topic=true");
        HttpResponse<String> diff = world.api.getUrl(location);
        assertThat(diff.statusCode()).isEqualTo(200);
        assertThat(diff.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(diff.body()).startsWith("diff --git a/src/search.py b/src/search.py\nnew file mode 100644\n")
                .contains("--- /dev/null\n+++ b/src/search.py\n@@ -0,0 +1,2 @@\n+def search():\n+    return []\n");
    }

    @Test
    void theDiffstatIsA302ToPaginatedFileStats() {
        world.fake.workspace("acme").repo("widgets").commit("feature/search",
                java.util.Map.of("README.md", "# Widgets\nNow with search\n"), "docs", world.alice);
        world.openSearchPullRequest();

        HttpResponse<String> redirect = world.api.get(World.REPO + "/pullrequests/1/diffstat");
        JsonNode stat = Api.json(world.api.getUrl(redirect.headers().firstValue("Location").orElseThrow()));

        assertThat(redirect.statusCode()).isEqualTo(302);
        assertThat(stat.path("size").asInt()).isEqualTo(2);
        JsonNode readme = stat.path("values").get(0);
        assertThat(readme.path("status").asText()).isEqualTo("modified");
        assertThat(readme.path("lines_added").asInt()).isEqualTo(1);
        assertThat(readme.path("lines_removed").asInt()).isZero();
        assertThat(readme.at("/old/path").asText()).isEqualTo("README.md");
        assertThat(readme.at("/new/path").asText()).isEqualTo("README.md");
        JsonNode added = stat.path("values").get(1);
        assertThat(added.path("status").asText()).isEqualTo("added");
        assertThat(added.path("old").isNull()).isTrue();
        assertThat(added.at("/new/path").asText()).isEqualTo("src/search.py");
    }

    @Test
    void aDiffSetByATestIsAnsweredAndCounted() {
        world.openSearchPullRequest();
        String diff = "diff --git a/x.txt b/x.txt\nindex 1111111..2222222 100644\n--- a/x.txt\n+++ b/x.txt\n"
                + "@@ -1 +1,2 @@\n-old\n+new\n+more\n";
        world.fake.pullRequest("acme", "widgets", 1).setDiff(diff);

        String location = world.api.get(World.REPO + "/pullrequests/1/diff").headers().firstValue("Location").orElseThrow();
        String statLocation = world.api.get(World.REPO + "/pullrequests/1/diffstat").headers().firstValue("Location")
                .orElseThrow();

        assertThat(world.api.getUrl(location).body()).isEqualTo(diff);
        JsonNode stat = Api.json(world.api.getUrl(statLocation)).path("values").get(0);
        assertThat(stat.path("lines_added").asInt()).isEqualTo(2);
        assertThat(stat.path("lines_removed").asInt()).isEqualTo(1);
    }
}
