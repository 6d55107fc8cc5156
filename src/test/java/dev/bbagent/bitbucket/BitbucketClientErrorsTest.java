package dev.bbagent.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.bbagent.fake.bitbucket.Permission;
import dev.bbagent.tools.RetryAfter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BitbucketClientErrorsTest {

    private static final ApiPath REPO = ApiPath.of("repositories", "acme", "widgets");

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
    void anInvalidTokenIs401SayingTheTokenIsInvalidOrExpired() {
        BitbucketConfig config = BitbucketConfig.of(f.fake.baseUrl(), BitbucketAuth.accessToken("expired-token"));
        try (BitbucketClient c = new BitbucketClient(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> c.get(REPO));

            assertThat(e.status()).isEqualTo(401);
            assertThat(e.isTransient()).isFalse();
            assertThat(e.getMessage()).contains("GET /2.0/repositories/acme/widgets")
                    .contains("the token is invalid or expired")
                    .contains("BITBUCKET_TOKEN")
                    .contains("Token is invalid, expired, or not supported for this endpoint.")
                    .doesNotContain("expired-token");
        }
    }

    @Test
    void aMissingScopeIs403NamingTheScope() {
        f.fake.acceptBearerToken("read-only", f.bot, Permission.READ);
        BitbucketConfig config = BitbucketConfig.of(f.fake.baseUrl(), BitbucketAuth.accessToken("read-only"));
        int pr = f.openSearchPullRequest();
        try (BitbucketClient c = new BitbucketClient(config, new SimpleMeterRegistry(), Clock.systemUTC())) {
            BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> c.post(
                    REPO.then("pullrequests", Integer.toString(pr), "approve"), Out.object()));

            assertThat(e.status()).isEqualTo(403);
            assertThat(e.getMessage()).contains("the token lacks the scope write:pullrequest:bitbucket")
                    .contains("it has read:account")
                    .contains("Your credentials lack one or more required privilege scopes.");
        }
    }

    @Test
    void anUnknownRepositoryIs404WithBitbucketsMessage() {
        BitbucketException e = catchThrowableOfType(BitbucketException.class,
                () -> f.client.get(ApiPath.of("repositories", "acme", "nope")));

        assertThat(e.status()).isEqualTo(404);
        assertThat(e.getMessage()).startsWith("Not found: GET /2.0/repositories/acme/nope (404)")
                .contains("Check the workspace, repo_slug and ids")
                .contains("Bitbucket said: \"Repository acme/nope not found\"");
    }

    @Test
    void issuesAre410SayingTheyMovedToJira() {
        BitbucketException e = catchThrowableOfType(BitbucketException.class,
                () -> f.client.post(REPO.then("issues"), Out.object().put("title", "bug")));

        assertThat(e.status()).isEqualTo(410);
        assertThat(e.isTransient()).isFalse();
        assertThat(e.getMessage()).startsWith("Bitbucket Cloud removed Issues on 2026-08-20; track issues in Jira")
                .contains("POST /2.0/repositories/acme/widgets/issues");
    }

    @Test
    void aRejectedBodyIs400WithTheFieldErrors() {
        BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> f.client.post(
                REPO.then("refs", "branches"), Out.object().put("name", "x")));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).contains("Bitbucket rejected POST").contains("target: This field is required.");
    }

    @Test
    void a429IsTransientWithARetryAfterFromTheBackoff() {
        f.fake.failNext(1, 429);

        BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> f.client.get(REPO));

        assertThat(e.status()).isEqualTo(429);
        assertThat(e.isTransient()).isTrue();
        // Fixture backoff: 1 s initial, +-50% jitter
        assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofMillis(500),
                Duration.ofMillis(1500)));
        assertThat(e.getMessage()).contains("rate limit is exhausted (429, limit 1000 requests/hour)")
                .contains("Rate limit for this resource has been exceeded");
        assertThat(f.client.get(REPO).path("slug").asText()).isEqualTo("widgets");
    }

    @Test
    void fiveHundredsAreTransientAndTheBackoffGrowsUntilASuccess() {
        f.fake.failNext(4, 503);
        Duration last = null;
        for (int i = 0; i < 4; i++) {
            BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> f.client.get(REPO));
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.isTransient()).isTrue();
            assertThat(e.getMessage()).contains("Bitbucket failed with 503").contains("usually temporary");
            last = e.retryAfter().orElseThrow();
        }
        assertThat(last).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(12)); // 8 s +-50%

        f.client.get(REPO);
        f.fake.failNext(1, 500);
        BitbucketException after = catchThrowableOfType(BitbucketException.class, () -> f.client.get(REPO));
        assertThat(after.retryAfter()).hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofMillis(1500)));
    }

    @Test
    void noAnswerIsTransient() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        BitbucketConfig config = BitbucketConfig.of("http://127.0.0.1:" + closedPort + "/2.0",
                BitbucketAuth.accessToken("t"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (BitbucketClient c = new BitbucketClient(config, registry, Clock.systemUTC())) {
            BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> c.get(REPO));

            assertThat(e.status()).isZero();
            assertThat(e.isTransient()).isTrue();
            assertThat(e.retryAfter()).isPresent();
            assertThat(e.getMessage()).startsWith("Bitbucket did not answer GET /2.0/repositories/acme/widgets");
            assertThat(registry.get(RequestMetrics.REQUESTS).tag("status_class", "error").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void aRetryAfterHeaderWinsInSecondsOrAsADate() {
        Clock clock = Clock.fixed(Instant.parse("2026-10-21T07:20:00Z"), java.time.ZoneOffset.UTC);
        HttpHeaders seconds = HttpHeaders.of(Map.of("Retry-After", List.of("120")), (a, b) -> true);
        HttpHeaders date = HttpHeaders.of(Map.of("Retry-After", List.of("Wed, 21 Oct 2026 07:28:00 GMT")), (a, b) -> true);
        HttpHeaders past = HttpHeaders.of(Map.of("Retry-After", List.of("Wed, 21 Oct 2026 07:00:00 GMT")), (a, b) -> true);
        HttpHeaders junk = HttpHeaders.of(Map.of("Retry-After", List.of("soon")), (a, b) -> true);

        assertThat(RetryAfter.parse(seconds, clock)).hasValue(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse(date, clock)).hasValue(Duration.ofMinutes(8));
        assertThat(RetryAfter.parse(past, clock)).hasValue(Duration.ZERO);
        assertThat(RetryAfter.parse(junk, clock)).isEmpty();
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), clock).afterFailure(seconds))
                .isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void theOwnBudgetRefusesBeforeSendingAndRefillsAfterTheHour() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
        try (Fixture limited = Fixture.start(c -> c.withRequestsPerHour(2), clock)) {
            limited.client.get(REPO);
            clock.advance(Duration.ofMinutes(15));
            limited.client.get(REPO);

            BitbucketException e = catchThrowableOfType(BitbucketException.class, () -> limited.client.get(REPO));

            assertThat(e.isTransient()).isTrue();
            assertThat(e.status()).isZero();
            assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(45));
            assertThat(e.getMessage()).contains("own limit of 2 Bitbucket requests per hour").contains("nothing was sent");
            assertThat(limited.requests()).hasSize(2);

            clock.advance(Duration.ofMinutes(45));
            assertThat(limited.client.get(REPO).path("slug").asText()).isEqualTo("widgets");
        }
    }

    @Test
    void rateLimitHeadersFeedTheGaugesAndAnswersTheCounter() {
        f.fake.rateLimit(5);
        assertThat(f.registry.get(RequestMetrics.LIMIT).gauge().value()).isNaN();

        f.client.get(REPO);
        assertThat(f.registry.get(RequestMetrics.LIMIT).gauge().value()).isEqualTo(5);
        assertThat(f.registry.get(RequestMetrics.NEAR_LIMIT).gauge().value()).isZero();

        for (int i = 0; i < 4; i++) {
            f.client.get(REPO);
        }
        assertThat(f.registry.get(RequestMetrics.NEAR_LIMIT).gauge().value()).isEqualTo(1);
        assertThatThrownBy(() -> f.client.get(REPO)).isInstanceOf(BitbucketException.class);
        f.fake.resetRateLimits();
        assertThatThrownBy(() -> f.client.get(ApiPath.of("repositories", "acme", "nope")))
                .isInstanceOf(BitbucketException.class);
        f.fake.failNext(1, 502);
        assertThatThrownBy(() -> f.client.get(REPO)).isInstanceOf(BitbucketException.class);

        assertThat(count("2xx")).isEqualTo(5);
        assertThat(count("429")).isEqualTo(1);
        assertThat(count("4xx")).isEqualTo(1);
        assertThat(count("5xx")).isEqualTo(1);
        assertThat(count("error")).isZero();
    }

    private double count(String statusClass) {
        return f.registry.get(RequestMetrics.REQUESTS).tag("status_class", statusClass).counter().count();
    }
}
