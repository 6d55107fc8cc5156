package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bbagent.fake.bitbucket.Account;
import dev.bbagent.fake.bitbucket.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketClientTest {

    private Fixture f;

    @BeforeEach
    void start() {
        f = Fixture.start();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void anAccessTokenGoesAsBearerAndCurrentUserIsTheBot() {
        BitbucketAccount me = f.client.currentUser();

        assertThat(me.uuid()).isEqualTo(f.bot.uuid());
        assertThat(me.accountId()).isEqualTo(f.bot.accountId());
        assertThat(me.type()).isEqualTo("app_user");
        RecordedRequest r = f.last();
        assertThat(r.line()).isEqualTo("GET /2.0/user");
        assertThat(r.header("Authorization")).isEqualTo("Bearer [redacted]");
        assertThat(r.header("Accept")).isEqualTo("application/json");
    }

    @Test
    void anApiTokenGoesAsBasicWithTheAccountEmail() {
        f.fake.acceptApiToken(f.alice, "alice-api-token");
        BitbucketConfig config = BitbucketConfig.of(f.fake.baseUrl(),
                BitbucketAuth.apiToken(f.alice.email(), "alice-api-token"));
        try (BitbucketClient alice = new BitbucketClient(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThat(alice.currentUser().uuid()).isEqualTo(f.alice.uuid());
        }
        assertThat(f.last().header("Authorization")).isEqualTo("Basic [redacted]");
    }

    @Test
    void pagesAreFollowedByTheirNextLinksUpToTheLimit() {
        for (int i = 1; i <= 12; i++) {
            f.fake.workspace("acme").repo(String.format("r%02d", i));
        }
        f.fake.clearRequests();

        Listing all = f.client.list(ApiPath.of("repositories", "acme"), Query.of("pagelen", 5), PageLimit.items(100));

        assertThat(all.values()).hasSize(13);
        assertThat(all.size()).hasValue(13);
        assertThat(all.truncated()).isFalse();
        List<RecordedRequest> requests = f.requests();
        assertThat(requests).extracting(RecordedRequest::line).containsOnly("GET /2.0/repositories/acme");
        assertThat(requests).extracting(RecordedRequest::query)
                .containsExactly("pagelen=5", "pagelen=5&page=2", "pagelen=5&page=3");
    }

    @Test
    void aListStopsAtTheItemLimitAndSaysThereIsMore() {
        for (int i = 1; i <= 12; i++) {
            f.fake.workspace("acme").repo(String.format("r%02d", i));
        }
        f.fake.clearRequests();

        Listing some = f.client.list(ApiPath.of("repositories", "acme"), Query.empty(), PageLimit.items(7));
        Listing twoPages = f.client.list(ApiPath.of("repositories", "acme"), Query.of("pagelen", 2),
                new PageLimit(100, 2));

        assertThat(some.values()).hasSize(7);
        assertThat(some.truncated()).isTrue();
        assertThat(some.size()).hasValue(13);
        assertThat(f.requests().getFirst().query()).isEqualTo("pagelen=7");
        assertThat(twoPages.values()).hasSize(4);
        assertThat(twoPages.truncated()).isTrue();
    }

    @Test
    void theDiffRedirectIsFollowedWithTheCredentialOnTheSameOrigin() {
        int pr = f.openSearchPullRequest();
        f.fake.clearRequests();

        RawContent diff = f.client.getRaw(ApiPath.of("repositories", "acme", "widgets", "pullrequests",
                Integer.toString(pr), "diff"), Query.empty(), 1 << 20);

        assertThat(new String(diff.bytes(), StandardCharsets.UTF_8)).startsWith("diff --git a/src/search.py");
        assertThat(f.requests()).hasSize(2);
        assertThat(f.requests().get(1).path()).startsWith("/2.0/repositories/acme/widgets/diff/acme/widgets:");
        assertThat(f.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("Bearer [redacted]"));
        assertThat(f.registry.get(RequestMetrics.REQUESTS).tag("status_class", "3xx").counter().count()).isEqualTo(1);
    }

    @Test
    void theCredentialNeverFollowsARedirectOrNextLinkToAnotherOrigin() {
        int pr = f.openSearchPullRequest();
        // the fake's redirects and next links name 127.0.0.1; a client configured for "localhost" is another origin
        String otherOrigin = f.fake.baseUrl().replace("127.0.0.1", "localhost");
        BitbucketConfig config = BitbucketConfig.of(otherOrigin, BitbucketAuth.accessToken(Fixture.TOKEN));
        f.fake.clearRequests();
        try (BitbucketClient c = new BitbucketClient(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            assertThatThrownBy(() -> c.getRaw(ApiPath.of("repositories", "acme", "widgets", "pullrequests",
                    Integer.toString(pr), "diff"), Query.empty(), 1 << 20))
                    .isInstanceOf(BitbucketException.class)
                    .satisfies(e -> assertThat(((BitbucketException) e).status()).isEqualTo(401));
            assertThat(f.requests().get(0).header("Authorization")).isEqualTo("Bearer [redacted]");
            assertThat(f.requests().get(1).header("Authorization")).isNull();

            assertThatThrownBy(() -> c.list(ApiPath.of("repositories", "acme", "widgets", "refs", "branches"),
                    Query.of("pagelen", 1), PageLimit.items(10)))
                    .isInstanceOf(BitbucketException.class)
                    .hasMessageContaining("next-page link leaves");
        }
    }

    @Test
    void jsonBodiesArePostedAndPutAsSent() {
        int pr = f.openSearchPullRequest();
        ApiPath comments = ApiPath.of("repositories", "acme", "widgets", "pullrequests", Integer.toString(pr), "comments");

        JsonNode created = f.client.post(comments, Out.object().set("content", Out.object().put("raw", "hello")));
        JsonNode edited = f.client.put(comments.then(created.path("id").asText()),
                Out.object().set("content", Out.object().put("raw", "hello again")));

        assertThat(edited.at("/content/raw").asText()).isEqualTo("hello again");
        RecordedRequest put = f.last();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.header("Content-Type")).startsWith("application/json");
        assertThat(put.json().at("/content/raw").asText()).isEqualTo("hello again");
    }

    @Test
    void pathSegmentsAreEncodedSoArgumentsCannotEscapeThem() {
        assertThat(ApiPath.of("repositories", "acme", "../user").encoded()).isEqualTo("/repositories/acme/..%2Fuser");
        assertThat(ApiPath.of("workspaces", "{6b47-aa}", "a b?c#d").encoded())
                .isEqualTo("/workspaces/%7B6b47-aa%7D/a%20b%3Fc%23d");
        assertThat(ApiPath.of("src").thenPath("feature/x/ü.py").encoded()).isEqualTo("/src/feature/x/%C3%BC.py");
        assertThatThrownBy(() -> ApiPath.of("src").thenPath("a/../b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiPath.of("")).isInstanceOf(IllegalArgumentException.class);

        assertThatThrownBy(() -> f.client.get(ApiPath.of("repositories", "acme", "../../user")))
                .isInstanceOf(BitbucketException.class)
                .satisfies(e -> assertThat(((BitbucketException) e).status()).isIn(400, 404));
        assertThat(f.requests()).noneMatch(r -> r.path().equals("/2.0/user"));
    }

    @Test
    void anAccountIsRecognizedByUuidOrAccountId() {
        Account other = f.alice;
        BitbucketAccount me = BitbucketAccount.from(f.client.get(ApiPath.of("user")));

        assertThat(me.isSameAs(Out.object().put("uuid", f.bot.uuid().toUpperCase()))).isTrue();
        assertThat(me.isSameAs(Out.object().put("account_id", f.bot.accountId()))).isTrue();
        assertThat(me.isSameAs(Out.object().put("uuid", other.uuid()).put("account_id", f.bot.accountId()))).isFalse();
        assertThat(me.isSameAs(Out.object())).isFalse();
    }
}
