package dev.bbagent.fake.bitbucket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.webhook.SignatureVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SECRET = "It's a Secret to Everybody";

    private World world;
    private Receiver receiver;

    @BeforeEach
    void start() {
        receiver = new Receiver();
    }

    @AfterEach
    void stop() {
        world.close();
        receiver.close();
    }

    @Test
    void aPullRequestCreatedThroughTheApiIsDeliveredSignedWithBitbucketsHeaders() {
        world = World.start();
        Hook hook = world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created");

        createPullRequestThroughTheApi();
        WebhookDelivery delivery = world.fake.awaitDeliveries(1, WAIT).getFirst();

        Receiver.Received got = receiver.received().getFirst();
        assertThat(got.header("X-Event-Key")).isEqualTo("pullrequest:created");
        assertThat(got.header("User-Agent")).isEqualTo("Bitbucket-Webhooks/2.0");
        assertThat(got.header("Content-Type")).startsWith("application/json");
        assertThat(got.header("X-Attempt-Number")).isEqualTo("1");
        assertThat(got.header("X-Hook-UUID")).isEqualTo(hook.uuid().substring(1, hook.uuid().length() - 1));
        assertThat(got.header("X-Request-UUID")).isEqualTo(delivery.requestUuid()).hasSize(36);
        assertThat(got.header("X-Event-Time")).endsWith("GMT");
        SignatureVerifier verifier = new SignatureVerifier(List.of(SECRET), false);
        assertThat(verifier.verify(got.header("X-Hub-Signature"), got.body())).isEqualTo(SignatureVerifier.Result.VALID);
        assertThat(delivery.delivered()).isTrue();
        assertThat(delivery.body().getBytes(StandardCharsets.UTF_8)).isEqualTo(got.body());
    }

    @Test
    void aHookWithoutASecretGetsUnsignedDeliveries() {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), null, "pullrequest:created");

        createPullRequestThroughTheApi();
        world.fake.awaitDeliveries(1, WAIT);

        assertThat(receiver.received().getFirst().header("X-Hub-Signature")).isNull();
    }

    @Test
    void a500IsRetriedTwiceImmediatelyWithTheSameRequestUuid() {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created");
        receiver.answer(500, 500, 500);

        createPullRequestThroughTheApi();
        WebhookDelivery delivery = world.fake.awaitDeliveries(1, WAIT).getFirst();

        List<Receiver.Received> got = receiver.received();
        assertThat(got).extracting(r -> r.header("X-Attempt-Number")).containsExactly("1", "2", "3");
        assertThat(got).extracting(r -> r.header("X-Request-UUID")).containsOnly(delivery.requestUuid());
        assertThat(got).extracting(r -> r.header("X-Hub-Signature")).containsOnly(got.getFirst().header("X-Hub-Signature"));
        assertThat(delivery.attempts()).extracting(WebhookDelivery.Attempt::status).containsExactly(500, 500, 500);
        assertThat(delivery.delivered()).isFalse();
    }

    @Test
    void aRetryThatSucceedsEndsTheDelivery() {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created");
        receiver.answer(503, 200);

        createPullRequestThroughTheApi();
        WebhookDelivery delivery = world.fake.awaitDeliveries(1, WAIT).getFirst();

        assertThat(delivery.attempts()).extracting(WebhookDelivery.Attempt::status).containsExactly(503, 200);
        assertThat(delivery.delivered()).isTrue();
        assertThat(receiver.received()).hasSize(2);
    }

    @Test
    void a400IsNotRetried() {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created");
        receiver.answer(400);

        createPullRequestThroughTheApi();
        WebhookDelivery delivery = world.fake.awaitDeliveries(1, WAIT).getFirst();

        assertThat(delivery.attempts()).extracting(WebhookDelivery.Attempt::status).containsExactly(400);
        assertThat(receiver.received()).hasSize(1);
    }

    @Test
    void aTimeoutIsRetriedAndRecordedAsTimeout() {
        world = World.start(FakeBitbucket.builder().webhookTimeout(Duration.ofMillis(200)).start());
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created");
        receiver.delay(Duration.ofMillis(600));

        createPullRequestThroughTheApi();
        WebhookDelivery delivery = world.fake.awaitDeliveries(1, WAIT).getFirst();

        assertThat(delivery.attempts()).extracting(WebhookDelivery.Attempt::error).containsExactly("TIMEOUT", "TIMEOUT", "TIMEOUT");
        assertThat(delivery.finalStatus()).isZero();
    }

    @Test
    void onlyHooksSubscribedToTheEventReceiveIt() {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:comment_created");

        createPullRequestThroughTheApi();
        world.api.post(World.REPO + "/pullrequests/1/comments", "{\"content\":{\"raw\":\"hi\"}}");
        List<WebhookDelivery> deliveries = world.fake.awaitDeliveries(1, WAIT);

        assertThat(deliveries).extracting(WebhookDelivery::eventKey).containsExactly("pullrequest:comment_created");
    }

    @Test
    void seedChangesEmitEventsOnlyWhenSwitchedOn() throws InterruptedException {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "pullrequest:created",
                "pullrequest:comment_created", "pullrequest:approved", "pullrequest:fulfilled");

        world.openSearchPullRequest();
        Thread.sleep(100);
        assertThat(world.fake.deliveries()).isEmpty();

        world.fake.emitEventsFromSeeds(true);
        PullRequestSeed pr = world.fake.pullRequest("acme", "widgets", 1);
        pr.comment(world.alice, "hello");
        pr.approve(world.bot).merge(world.alice);
        List<WebhookDelivery> deliveries = world.fake.awaitDeliveries(3, WAIT);

        assertThat(deliveries).extracting(WebhookDelivery::eventKey)
                .containsExactly("pullrequest:comment_created", "pullrequest:approved", "pullrequest:fulfilled");
        assertThat(deliveries.get(1).json().at("/approval/user/uuid").asText()).isEqualTo(world.bot.uuid());
        assertThat(deliveries.get(2).json().at("/pullrequest/state").asText()).isEqualTo("MERGED");
        assertThat(deliveries).extracting(WebhookDelivery::requestUuid).doesNotHaveDuplicates();
    }

    @Test
    void aRawPayloadIsDeliveredByteForByteAndSigned() throws Exception {
        world = World.start();
        world.fake.registerWebhook("acme", "widgets", receiver.url(), SECRET, "repo:push");
        byte[] fixture = Fixtures.bytes("repo-push__bbs-plugin-signed.json");

        int queued = world.fake.deliver("repo:push", new String(fixture, StandardCharsets.UTF_8));
        world.fake.awaitDeliveries(1, WAIT);

        assertThat(queued).isEqualTo(1);
        Receiver.Received got = receiver.received().getFirst();
        assertThat(got.body()).isEqualTo(fixture);
        assertThat(got.header("X-Hub-Signature")).isEqualTo(SignatureVerifier.sign(SECRET, fixture));
    }

    private void createPullRequestThroughTheApi() {
        int status = world.api.post(World.REPO + "/pullrequests",
                "{\"title\":\"Add search\",\"source\":{\"branch\":{\"name\":\"feature/search\"}}}").statusCode();
        assertThat(status).isEqualTo(201);
    }
}
