package dev.bbagent.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminApiTest {

    private static final String[] AUTH = {"Authorization", "Bearer test-admin-token"};

    @TempDir
    Path data;

    @Test
    void withoutAnAdminTokenTheAdminRoutesDoNotExist() {
        Settings s = Settings.forTests(data, Path.of("config/rules.yaml"), TestServer.SECRET).withAdminToken(Optional.empty());
        try (TestServer server = new TestServer(s)) {
            Http.Response r = server.http().get("/api/deliveries", AUTH);

            assertThat(r.status()).isEqualTo(404);
        }
    }

    @Test
    void aMissingOrWrongTokenIsUnauthorized() {
        try (TestServer server = TestServer.start(data)) {
            assertThat(server.http().get("/api/deliveries").status()).isEqualTo(401);
            Http.Response wrong = server.http().get("/api/deliveries", "Authorization", "Bearer nope");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(wrong.json().get("error").asText()).isEqualTo("unauthorized");

            assertThat(server.metric("bbagent_admin_auth_failures_total", "reason=\"missing_token\"")).isEqualTo(1.0);
            assertThat(server.metric("bbagent_admin_auth_failures_total", "reason=\"invalid_token\"")).isEqualTo(1.0);
        }
    }

    @Test
    void deliveriesAreListedNewestFirstAndFilteredByRepository() {
        try (TestServer server = TestServer.start(data)) {
            server.deliver(Edition.CLOUD, "pullrequest:created", "a-1",
                    Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes());
            server.deliver(Edition.DATACENTER, "pr:opened", "a-2", Fixtures.named("datacenter/pr-opened__bbs-plugin.json").bytes());

            Http.Response all = server.http().get("/api/deliveries", AUTH);
            Http.Response one = server.http().get("/api/deliveries?repo=AMUNIZ/test-repos&limit=5", AUTH);

            assertThat(all.status()).isEqualTo(200);
            assertThat(all.json().get("deliveries")).hasSize(2);
            assertThat(all.json().at("/deliveries/0/id").asText()).isEqualTo("a-2");
            assertThat(all.json().at("/deliveries/1/event_key").asText()).isEqualTo("pullrequest:created");
            assertThat(one.json().get("deliveries")).hasSize(1);
            assertThat(one.json().at("/deliveries/0/thread").asText()).isEqualTo("AMUNIZ/test-repos#pr-1");
        }
    }

    @Test
    void oneDeliveryShowsHeadersWithoutTheSignatureAndThePayload() {
        try (TestServer server = TestServer.start(data)) {
            server.deliver(Edition.CLOUD, "pullrequest:created", "s-1",
                    Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes());

            Http.Response r = server.http().get("/api/deliveries/s-1", AUTH);

            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().get("headers").toString()).contains("X-Event-Key").doesNotContainIgnoringCase("x-hub-signature");
            assertThat(r.json().at("/payload/pullrequest/id").asInt()).isEqualTo(735);
            assertThat(server.http().get("/api/deliveries/nope", AUTH).status()).isEqualTo(404);
        }
    }

    @Test
    void anOutOfRangeLimitIsABadRequest() {
        try (TestServer server = TestServer.start(data)) {
            Http.Response r = server.http().get("/api/deliveries?limit=0", AUTH);

            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("message").asText()).contains("limit");
        }
    }
}
