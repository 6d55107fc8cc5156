package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.event.EventKinds;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Fixtures.Fixture;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookIntakeTest {

    @TempDir
    Path data;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(data);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private int stored() {
        return server.app().store().list(null, 1000).size();
    }

    /** Run {@code n} calls at once, each on its own virtual thread, and collect their results. */
    private static <T> List<T> inParallel(int n, java.util.function.IntFunction<T> call) throws InterruptedException {
        List<Thread> threads = new java.util.ArrayList<>();
        List<T> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int i = 0; i < n; i++) {
            int k = i;
            threads.add(Thread.ofVirtual().start(() -> results.add(call.apply(k))));
        }
        for (Thread t : threads) {
            t.join();
        }
        return results;
    }

    @Test
    void everyFixtureSignedAndPostedIsAcceptedOrIgnoredAndStored() {
        int expectedStored = 0;
        for (Fixture f : Fixtures.all()) {
            String id = "fixture-" + f.name();
            Http.Response r = server.deliver(f.edition(), f.eventKey(), id, f.bytes());

            String kind = EventKinds.kindOf(f.edition(), f.eventKey());
            if (f.eventKey().equals(EventKinds.PING)) {
                assertThat(r.status()).as(f.name()).isEqualTo(200);
                assertThat(r.json().get("status").asText()).isEqualTo("pong");
                continue;
            }
            expectedStored++;
            if (EventKinds.isActionable(kind)) {
                assertThat(r.status()).as(f.name() + ": " + r.body()).isEqualTo(202);
                assertThat(r.json().get("status").asText()).isEqualTo("accepted");
            } else {
                assertThat(r.status()).as(f.name() + ": " + r.body()).isEqualTo(200);
                assertThat(r.json().get("status").asText()).isEqualTo("ignored");
            }
            assertThat(r.json().get("delivery").asText()).isEqualTo(id);
            var saved = server.app().store().get(id).orElseThrow();
            assertThat(saved.body()).isEqualTo(f.bytes());
            assertThat(saved.edition()).isEqualTo(f.edition().wire());
            assertThat(saved.kind()).isEqualTo(kind);
        }
        assertThat(stored()).isEqualTo(expectedStored);
    }

    @Test
    void theRealSignedDeliveryIsVerifiedWithItsRealSecret() {
        server.close();
        server = new TestServer(Settings.forTests(data, Path.of("config/rules.yaml"), Fixtures.SIGNED_SECRET));
        byte[] body = Fixtures.named(Fixtures.SIGNED_FILE).bytes();

        Http.Response r = server.http().post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Event-Key", "repo:push", "X-Request-UUID", "real-1", "X-Hub-Signature", Fixtures.SIGNED_HEADER);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ignored");
        assertThat(server.app().store().get("real-1")).isPresent();
    }

    @Test
    void aWrongSecretIsUnauthorizedAndStoresNothing() {
        Fixture f = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json");
        byte[] body = f.bytes();

        Http.Response r = server.http().post("/webhooks/bitbucket", body,
                Deliveries.headers(Edition.CLOUD, f.eventKey(), "w-1", "not-the-secret", body));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(r.json().get("message").asText()).contains("BITBUCKET_WEBHOOK_SECRET");
        assertThat(stored()).isZero();
        assertThat(server.metric("bbagent_webhook_deliveries_total", "edition=\"cloud\",event=\"other\",outcome=\"unauthorized\""))
                .isEqualTo(1.0);
    }

    @Test
    void aMissingSignatureIsUnauthorized() {
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

        Http.Response r = server.http().post("/webhooks/bitbucket", body,
                Deliveries.headers(Edition.CLOUD, "pullrequest:created", "m-1", null, body));

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asText()).contains("missing X-Hub-Signature");
        assertThat(stored()).isZero();
    }

    @Test
    void aSecondSecretIsAcceptedWhileRotating() {
        server.close();
        Settings base = Settings.forTests(data, Path.of("config/rules.yaml"), "old-secret");
        server = new TestServer(base.withSecrets(List.of("new-secret", "old-secret")));
        // Two events (the same one twice would be stored once with jobs: duplicate_event).
        Map<String, byte[]> bodies = Map.of(
                "old-secret", Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes(),
                "new-secret", Fixtures.named("cloud/pullrequest-created__go-scm.json").bytes());

        for (String secret : List.of("old-secret", "new-secret")) {
            byte[] body = bodies.get(secret);
            Http.Response r = server.http().post("/webhooks/bitbucket", body,
                    Deliveries.headers(Edition.CLOUD, "pullrequest:created", "rot-" + secret, secret, body));
            assertThat(r.status()).as(secret).isEqualTo(202);
        }
        assertThat(stored()).isEqualTo(2);
    }

    @Test
    void aDuplicateDeliveryIsStoredOnce() {
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

        Http.Response first = server.deliver(Edition.CLOUD, "pullrequest:created", "dup-1", body);
        Http.Response second = server.deliver(Edition.CLOUD, "pullrequest:created", "dup-1", body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(second.json().get("delivery").asText()).isEqualTo("dup-1");
        assertThat(stored()).isEqualTo(1);
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"cloud\",event=\"pullrequest:created\",outcome=\"duplicate\"")).isEqualTo(1.0);
    }

    @Test
    void theSameEventThroughASecondWebhookIsStoredButQueuesNoJobsAgain() {
        // A repository hook and a workspace hook (or one registered twice) send each event under its own ids.
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

        Http.Response first = server.deliver(Edition.CLOUD, "pullrequest:created", "repo-hook-1", body);
        Http.Response second = server.deliver(Edition.CLOUD, "pullrequest:created", "workspace-hook-1", body);
        Http.Response retry = server.deliver(Edition.CLOUD, "pullrequest:created", "workspace-hook-1", body);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("rules")).isNotEmpty();
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("status").asText()).isEqualTo("duplicate_event");
        assertThat(second.json().get("delivery").asText()).isEqualTo("workspace-hook-1");
        assertThat(second.json().get("same_event_as").asText()).isEqualTo("repo-hook-1");
        assertThat(second.json().get("reason").asText()).contains("repo-hook-1", "bin/bbagent replay repo-hook-1");
        assertThat(retry.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(server.app().jobs().jobsOfDelivery("repo-hook-1")).isNotEmpty();
        assertThat(server.app().jobs().jobsOfDelivery("workspace-hook-1")).isEmpty();
        assertThat(server.app().store().get("workspace-hook-1").orElseThrow().status()).isEqualTo("duplicate_event");
        assertThat(stored()).isEqualTo(2);
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"cloud\",event=\"pullrequest:created\",outcome=\"duplicate_event\"")).isEqualTo(1.0);
    }

    @Test
    void copiesOfOneEventArrivingTogetherQueueItsJobsOnce() throws Exception {
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

        List<String> statuses = inParallel(8, i ->
                server.deliver(Edition.CLOUD, "pullrequest:created", "hook-" + i, body).json().get("status").asText());

        assertThat(statuses).containsOnlyOnce("accepted").containsOnly("accepted", "duplicate_event").hasSize(8);
        // Every job belongs to the one copy that was accepted.
        List<dev.bbagent.store.Job> jobs = server.app().jobs().jobs(null, null, null, 100);
        assertThat(jobs).isNotEmpty().extracting(dev.bbagent.store.Job::deliveryId)
                .containsOnly(jobs.getFirst().deliveryId());
        assertThat(stored()).isEqualTo(8);
    }

    @Test
    void withoutADeliveryIdTheSameKeyAndBodyAreOneDelivery() {
        byte[] body = Fixtures.named("datacenter/pr-opened__bbs-plugin.json").bytes();
        String sig = SignatureVerifier.sign(TestServer.SECRET, body);

        Http.Response first = server.http().post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Event-Key", "pr:opened", "X-Hub-Signature", sig);
        Http.Response second = server.http().post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Event-Key", "pr:opened", "X-Hub-Signature", sig);

        assertThat(first.status()).isEqualTo(202);
        assertThat(first.json().get("delivery").asText()).startsWith("sha256:");
        assertThat(second.json().get("status").asText()).isEqualTo("duplicate");
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneDeliveryStoreItOnce() throws Exception {
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

        List<Integer> statuses = inParallel(8, i ->
                server.deliver(Edition.CLOUD, "pullrequest:created", "race-1", body).status());

        assertThat(statuses).containsOnlyOnce(202).contains(200);
        assertThat(stored()).isEqualTo(1);
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhere() {
        byte[] body = "{\"pullrequest\": ".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("error").asText()).isEqualTo("malformed");
        assertThat(r.json().get("message").asText()).contains("not valid JSON").contains("line 1");
        assertThat(stored()).isZero();
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"cloud\",event=\"other\",outcome=\"malformed\"")).isEqualTo(1.0);
    }

    @Test
    void aMissingEventKeyIsABadRequest() {
        byte[] body = "{\"actor\": {}}".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.http().post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Request-UUID", "k-1", "X-Hub-Signature", SignatureVerifier.sign(TestServer.SECRET, body));

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("missing event key");
    }

    @Test
    void aPullRequestEventWithoutItsPullRequestIsABadRequest() {
        byte[] body = "{\"actor\": {}, \"repository\": {\"full_name\": \"a/b\"}}".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", body);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("no 'pullrequest' object");
    }

    @Test
    void aSignedPayloadWithoutWhatItsKeyPromisesIsABadRequestNotAnEventAboutPullRequestZero() {
        String repo = "\"repository\": {\"full_name\": \"a/b\"}";
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("{" + repo + ", \"pullrequest\": {}}", "no 'pullrequest.id' (a positive number)");
        cases.put("{" + repo + ", \"pullrequest\": {\"id\": \"abc\"}}", "no 'pullrequest.id' (a positive number)");
        cases.put("{" + repo + ", \"pullrequest\": {\"id\": 12}}", "pullrequest:comment_created payload has no 'comment' object");
        int n = 0;
        for (Map.Entry<String, String> c : cases.entrySet()) {
            byte[] body = c.getKey().getBytes(StandardCharsets.UTF_8);

            Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:comment_created", "partial-" + n++, body);

            assertThat(r.status()).as(c.getKey()).isEqualTo(400);
            assertThat(r.json().get("error").asText()).isEqualTo("malformed");
            assertThat(r.json().get("message").asText()).contains(c.getValue());
        }
        byte[] dc = "{\"eventKey\": \"pr:opened\", \"pullRequest\": {\"toRef\": {\"repository\": {\"slug\": \"r\", \"project\": {\"key\": \"P\"}}}}}"
                .getBytes(StandardCharsets.UTF_8);
        Http.Response r = server.deliver(Edition.DATACENTER, "pr:opened", "partial-dc", dc);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asText()).contains("no 'pullRequest.id'");
        assertThat(stored()).isZero();
    }

    @Test
    void aBodyWithAnythingAfterItsJsonValueIsMalformed() {
        // Before, Jackson read the first value and ignored the rest: both were stored.
        Http.Response word = server.deliver(Edition.CLOUD, "repo:push", "{\"actor\": {}} trailing".getBytes(StandardCharsets.UTF_8));
        Http.Response second = server.deliver(Edition.CLOUD, "repo:push", "{\"actor\": {}} {}".getBytes(StandardCharsets.UTF_8));

        assertThat(word.status()).isEqualTo(400);
        assertThat(word.json().get("message").asText()).contains("not valid JSON").contains("token 'trailing'");
        assertThat(second.status()).isEqualTo(400);
        assertThat(second.json().get("message").asText()).contains("not valid JSON").contains("Trailing token");
        assertThat(stored()).isZero();
    }

    @Test
    void anEventWithoutARepositoryIsStoredWithNoneRatherThanASlash() {
        byte[] body = "{\"actor\": {\"uuid\": \"{u}\"}}".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.deliver(Edition.CLOUD, "brand:new_event", "no-repo", body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(server.app().store().get("no-repo").orElseThrow().repo()).isEmpty();
    }

    @Test
    void aBodyThatStopsArrivingIsCutOffAfterTheConfiguredIdleTimeout() throws Exception {
        server.close();
        server = new TestServer(Settings.forTests(data, Path.of("config/rules.yaml"), TestServer.SECRET)
                .withHttpIdleTimeout(java.time.Duration.ofSeconds(1)));
        int port = server.app().port();
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /webhooks/bitbucket HTTP/1.1\r\nHost: bbagent\r\n"
                    + "Content-Type: application/json\r\nX-Event-Key: repo:push\r\nContent-Length: 100\r\n\r\n{\"a\":")
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 408");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(5));
        }
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"cloud\",event=\"other\",outcome=\"aborted\"")).isEqualTo(1.0);
    }

    @Test
    void aBodyOverOneMebibyteIsTooLarge() {
        byte[] body = new byte[(1 << 20) + 1];
        java.util.Arrays.fill(body, (byte) ' ');

        Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", body);

        assertThat(r.status()).isEqualTo(413);
        assertThat(r.json().get("error").asText()).isEqualTo("too_large");
        assertThat(stored()).isZero();
    }

    @Test
    void aNonJsonContentTypeIsUnsupported() {
        byte[] body = "payload=%7B%7D".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.http().post("/webhooks/bitbucket", body, "Content-Type",
                "application/x-www-form-urlencoded", "X-Event-Key", "pullrequest:created",
                "X-Hub-Signature", SignatureVerifier.sign(TestServer.SECRET, body));

        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("message").asText()).contains("application/json");
    }

    @Test
    void anUnknownEventKeyIsStoredIgnoredAndLabelledOther() {
        byte[] body = "{\"actor\": {\"uuid\": \"{u}\"}, \"repository\": {\"full_name\": \"a/b\"}}".getBytes(StandardCharsets.UTF_8);

        Http.Response r = server.deliver(Edition.CLOUD, "brand:new_event", "unk-1", body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("ignored");
        assertThat(server.app().store().get("unk-1")).isPresent();
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"cloud\",event=\"other\",outcome=\"ignored\"")).isEqualTo(1.0);
    }

    @Test
    void theDataCenterPingAnswersPongUnsignedAndStoresNothing() {
        byte[] body = Fixtures.named("datacenter/diagnostics-ping__bbs-plugin.json").bytes();

        Http.Response r = server.http().post("/webhooks/bitbucket", body, "Content-Type",
                "application/json; charset=utf-8", "X-Event-Key", "diagnostics:ping", "X-Request-Id", "p-1");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("status").asText()).isEqualTo("pong");
        assertThat(stored()).isZero();
        assertThat(server.metric("bbagent_webhook_deliveries_total",
                "edition=\"datacenter\",event=\"diagnostics:ping\",outcome=\"ping\"")).isEqualTo(1.0);
    }

    @Test
    void anAcceptedDeliverySurvivesARestartOnTheSameDataFolder() {
        byte[] body = Fixtures.named("cloud/pullrequest-updated__bbs-plugin.json").bytes();
        assertThat(server.deliver(Edition.CLOUD, "pullrequest:updated", "keep-1", body).status()).isEqualTo(202);

        server.close();
        server = TestServer.start(data);

        var saved = server.app().store().get("keep-1").orElseThrow();
        assertThat(saved.body()).isEqualTo(body);
        assertThat(saved.thread()).isEqualTo("nfalco79/test-repos#pr-1");
        assertThat(server.deliver(Edition.CLOUD, "pullrequest:updated", "keep-1", body).json().get("status").asText())
                .isEqualTo("duplicate");
    }

    @Test
    void metricsCountOutcomesAndTimeIntake() {
        String accepted = "edition=\"cloud\",event=\"pullrequest:created\",outcome=\"accepted\"";
        double before = server.metric("bbagent_webhook_intake_seconds_count", "edition=\"cloud\"");

        server.deliver(Edition.CLOUD, "pullrequest:created", Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes());
        server.deliver(Edition.CLOUD, "pullrequest:created", Fixtures.named("cloud/pullrequest-created__go-scm.json").bytes());

        assertThat(server.metric("bbagent_webhook_deliveries_total", accepted)).isEqualTo(2.0);
        assertThat(server.metric("bbagent_webhook_intake_seconds_count", "edition=\"cloud\"")).isEqualTo(before + 2);
        String text = server.http().get("/metrics").body();
        assertThat(text).contains("bbagent_webhook_intake_seconds_bucket{edition=\"cloud\",le=\"0.01\"}")
                .contains("jvm_memory_used_bytes").contains("hikaricp_connections").contains("process_uptime_seconds");
    }

    @Test
    void theDiskGaugesReadRealSizesAfterAGarbageCollection() {
        server.deliver(Edition.CLOUD, "pullrequest:created",
                Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes());
        for (int i = 0; i < 3; i++) {
            System.gc();
        }

        double free = server.metric("bbagent_data_disk_free_bytes", "");
        double size = server.metric("bbagent_store_size_bytes", "");

        assertThat(free).isEqualTo((double) data.toFile().getUsableSpace(), org.assertj.core.data.Offset.offset(64e6));
        assertThat(size).isGreaterThan(0);
    }

    @Test
    void healthEndpointsReportLiveAndReady() {
        Http.Response live = server.http().get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(live.json().at("/status").asText()).isEqualTo("live");
        assertThat(live.json().at("/checks/database/status").asText()).isEqualTo("ok");
        Http.Response ready = server.http().get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().at("/checks/database/status").asText()).isEqualTo("ok");
    }
}
