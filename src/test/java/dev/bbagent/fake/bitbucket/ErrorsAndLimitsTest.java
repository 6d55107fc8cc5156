package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ErrorsAndLimitsTest {

    private World world;

    @AfterEach
    void stop() {
        world.close();
    }

    @Test
    void everyIssuesPathIsGoneWith410() {
        world = World.start();

        HttpResponse<String> list = world.api.get(World.REPO + "/issues");
        HttpResponse<String> create = world.api.post(World.REPO + "/issues", "{\"title\":\"bug\"}");
        HttpResponse<String> update = world.api.put(World.REPO + "/issues/3", "{}");
        HttpResponse<String> comment = world.api.post(World.REPO + "/issues/3/comments", "{\"content\":{\"raw\":\"x\"}}");
        HttpResponse<String> delete = world.api.delete(World.REPO + "/issues/3");

        for (HttpResponse<String> r : java.util.List.of(list, create, update, comment, delete)) {
            assertThat(r.statusCode()).isEqualTo(410);
            JsonNode body = Api.json(r);
            assertThat(body.path("type").asText()).isEqualTo("error");
            assertThat(body.at("/error/message").asText()).isEqualTo("Resource removed");
            assertThat(body.at("/error/detail").asText()).contains("no longer supported");
        }
    }

    @Test
    void anUnknownPathIsA404WithBitbucketsErrorBody() {
        world = World.start();

        HttpResponse<String> r = world.api.get("/no/such/thing");

        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(Api.json(r).at("/error/message").asText()).isEqualTo("Resource not found");
    }

    @Test
    void unknownWorkspaceAndRepositoryAre404() {
        world = World.start();

        assertThat(world.api.get("/repositories/nope").statusCode()).isEqualTo(404);
        assertThat(world.api.get("/repositories/acme/nope").statusCode()).isEqualTo(404);
        assertThat(world.api.get("/repositories/acme/nope/pullrequests").statusCode()).isEqualTo(404);
    }

    @Test
    void anInjected429CarriesTheRateLimitBodyAndHeadersThenServiceResumes() {
        world = World.start();
        world.fake.failNext(1, 429);

        HttpResponse<String> limited = world.api.get(World.REPO);
        HttpResponse<String> after = world.api.get(World.REPO);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Api.json(limited).at("/error/message").asText())
                .isEqualTo("Rate limit for this resource has been exceeded");
        assertThat(limited.headers().firstValue("X-RateLimit-Limit")).hasValue("1000");
        assertThat(limited.headers().firstValue("X-RateLimit-Resource")).hasValue("api");
        assertThat(limited.headers().firstValue("X-RateLimit-NearLimit")).hasValue("true");
        assertThat(after.statusCode()).isEqualTo(200);
    }

    @Test
    void injected5xxAnswerInOrder() {
        world = World.start();
        world.fake.failNext(1, 500).failNext(1, 503);

        assertThat(world.api.get("/user").statusCode()).isEqualTo(500);
        assertThat(world.api.get("/user").statusCode()).isEqualTo(503);
        assertThat(world.api.get("/user").statusCode()).isEqualTo(200);
        assertThat(world.fake.requests()).hasSize(3);
    }

    @Test
    void theHourlyBudgetIsEnforcedPerTokenAndReportedInHeaders() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-25T10:00:00Z"));
        world = World.start(FakeBitbucket.builder().clock(clock).start());
        world.fake.rateLimit(5);

        HttpResponse<String> first = world.api.get(World.REPO);
        for (int i = 0; i < 3; i++) {
            world.api.get(World.REPO);
        }
        HttpResponse<String> fifth = world.api.get(World.REPO);
        HttpResponse<String> sixth = world.api.get(World.REPO);
        clock.advance(Duration.ofMinutes(61));
        HttpResponse<String> nextHour = world.api.get(World.REPO);

        assertThat(first.headers().firstValue("X-RateLimit-Limit")).hasValue("5");
        assertThat(first.headers().firstValue("X-RateLimit-NearLimit")).hasValue("false");
        assertThat(fifth.headers().firstValue("X-RateLimit-NearLimit")).hasValue("true");
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(nextHour.statusCode()).isEqualTo(200);
    }

    @Test
    void apiTokenRequestsGetNoRateLimitHeaders() {
        world = World.start();
        world.fake.acceptApiToken(world.alice, "t");

        HttpResponse<String> r = Api.basic(world.fake, world.alice.email(), "t").get(World.REPO);

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-RateLimit-Limit")).isEmpty();
    }

    @Test
    void pagelenIsClampedAndAPageBeyondTheLastIsA404() {
        world = World.start();
        for (int i = 0; i < 3; i++) {
            world.fake.workspace("acme").repo("r" + i);
        }

        JsonNode big = Api.json(world.api.get("/repositories/acme?pagelen=500"));
        JsonNode small = Api.json(world.api.get("/repositories/acme?pagelen=1&page=2"));
        HttpResponse<String> beyond = world.api.get("/repositories/acme?page=9");

        assertThat(big.path("pagelen").asInt()).isEqualTo(100);
        assertThat(big.path("values")).hasSize(4);
        assertThat(small.path("values")).hasSize(1);
        assertThat(small.path("next").asText()).isEqualTo(world.fake.baseUrl() + "/repositories/acme?pagelen=1&page=3");
        assertThat(beyond.statusCode()).isEqualTo(404);
        assertThat(Api.json(beyond).at("/error/message").asText()).isEqualTo("Invalid page");
    }

    @Test
    void queriesFilterListsAndAnUnparsableQueryIsA400() {
        world = World.start();
        world.openSearchPullRequest();

        JsonNode hit = Api.json(world.api.get(World.REPO
                + "/pullrequests?q=source.branch.name%3D%22feature%2Fsearch%22%20AND%20state%3D%22OPEN%22"));
        JsonNode miss = Api.json(world.api.get(World.REPO + "/pullrequests?q=title~%22nothing%22"));
        HttpResponse<String> bad = world.api.get(World.REPO + "/pullrequests?q=title%3D");

        assertThat(hit.path("size").asInt()).isEqualTo(1);
        assertThat(miss.path("size").asInt()).isZero();
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
