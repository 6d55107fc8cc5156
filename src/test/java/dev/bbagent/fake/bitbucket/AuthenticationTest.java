package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

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
    void aRequestWithoutCredentialsIsA401WithWwwAuthenticate() {
        HttpResponse<String> r = Api.anonymous(world.fake).get("/user");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"Bitbucket.org HTTP\"");
        JsonNode body = Api.json(r);
        assertThat(body.path("type").asText()).isEqualTo("error");
        assertThat(body.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void aWrongBearerTokenIsA401() {
        HttpResponse<String> r = Api.bearer(world.fake, "nope").get("/user");

        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(Api.json(r).at("/error/message").asText())
                .isEqualTo("Token is invalid, expired, or not supported for this endpoint.");
    }

    @Test
    void anApiTokenIsAcceptedAsBasicEmailAndToken() {
        world.fake.acceptApiToken(world.alice, "api-token-1");

        HttpResponse<String> ok = Api.basic(world.fake, world.alice.email(), "api-token-1").get("/user");
        HttpResponse<String> wrong = Api.basic(world.fake, world.alice.email(), "other").get("/user");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(Api.json(ok).path("uuid").asText()).isEqualTo(world.alice.uuid());
        assertThat(wrong.statusCode()).isEqualTo(401);
    }

    @Test
    void aReadOnlyTokenMayReadButWritesAre403WithTheMissingScope() {
        world.fake.acceptBearerToken("reader", world.bot, Permission.READ);
        Api reader = Api.bearer(world.fake, "reader");
        world.openSearchPullRequest();

        HttpResponse<String> read = reader.get(World.REPO + "/pullrequests/1");
        HttpResponse<String> write = reader.post(World.REPO + "/pullrequests/1/comments", "{\"content\":{\"raw\":\"hi\"}}");

        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(write.statusCode()).isEqualTo(403);
        JsonNode error = Api.json(write).path("error");
        assertThat(error.path("message").asText()).isEqualTo("Your credentials lack one or more required privilege scopes.");
        assertThat(error.at("/detail/required/0").asText()).isEqualTo("write:pullrequest:bitbucket");
        assertThat(world.fake.comments("acme", "widgets", 1)).isEmpty();
    }

    @Test
    void theRequestLogRecordsMethodPathQueryAndBodyButNotTheSecret() {
        world.api.post(World.REPO + "/refs/branches?x=1", "{\"name\":\"b1\",\"target\":{\"hash\":\"main\"}}");

        RecordedRequest r = world.fake.requests().getLast();
        assertThat(r.line()).isEqualTo("POST /2.0/repositories/acme/widgets/refs/branches");
        assertThat(r.query()).isEqualTo("x=1");
        assertThat(r.json().path("name").asText()).isEqualTo("b1");
        assertThat(r.header("authorization")).isEqualTo("Bearer [redacted]");
        assertThat(r.header("Content-Type")).isEqualTo("application/json");
    }
}
