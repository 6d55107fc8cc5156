package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountsTest {

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
    void getUserAnswersTheCallersAccount() {
        JsonNode me = Api.json(world.api.get("/user"));

        assertThat(me.path("uuid").asText()).isEqualTo(world.bot.uuid()).startsWith("{").endsWith("}");
        assertThat(me.path("account_id").asText()).isEqualTo(world.bot.accountId());
        assertThat(me.path("display_name").asText()).isEqualTo("bbagent");
        assertThat(me.path("type").asText()).isEqualTo("app_user");
        assertThat(me.at("/links/self/href").asText()).startsWith(world.fake.baseUrl() + "/users/%7B");
    }

    @Test
    void userWorkspacesListsMembershipsWithTheWorkspaceNested() {
        world.fake.workspace("other");

        JsonNode page = Api.json(world.api.get("/user/workspaces"));

        assertThat(page.path("size").asInt()).isEqualTo(1);
        JsonNode access = page.path("values").get(0);
        assertThat(access.path("type").asText()).isEqualTo("workspace_access");
        assertThat(access.path("administrator").asBoolean()).isTrue();
        assertThat(access.at("/workspace/type").asText()).isEqualTo("workspace_base");
        assertThat(access.at("/workspace/slug").asText()).isEqualTo("acme");
        assertThat(access.at("/workspace/uuid").asText()).startsWith("{");
    }

    @Test
    void workspaceMembersAreMembershipsOfAccounts() {
        HttpResponse<String> r = world.api.get("/workspaces/acme/members");

        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode values = Api.json(r).path("values");
        assertThat(values).hasSize(2);
        assertThat(values.get(1).path("type").asText()).isEqualTo("workspace_membership");
        assertThat(values.get(1).at("/user/nickname").asText()).isEqualTo("alice");
        assertThat(values.get(1).at("/user/type").asText()).isEqualTo("user");
        assertThat(values.get(1).at("/workspace/slug").asText()).isEqualTo("acme");
        assertThat(values.get(1).at("/workspace/name").asText()).isEqualTo("Acme Corp");
    }

    @Test
    void membersOfAnUnknownWorkspaceIsA404() {
        HttpResponse<String> r = world.api.get("/workspaces/nope/members");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Api.json(r).path("type").asText()).isEqualTo("error");
    }
}
