package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.event.Edition;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.store.Arrival;
import dev.bbagent.store.Delivery;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.store.Insertion;
import dev.bbagent.store.DeliverySummary;
import dev.bbagent.store.NewJob;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake's hand-over to the store, seen through a store that counts: a request holds the store's open
 * batch only once it is verified, always gives it back, and a store that throws is a counted 503.
 */
class IntakeSlotTest {

    private static final String SECRET = "slot-secret";

    /** The real store, with the slots taken and given back counted, and an insert that can be made to throw. */
    static final class CountingStore implements DeliveryStore {
        final DeliveryStore real;
        final AtomicInteger taken = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        volatile RuntimeException throwOnInsert;

        CountingStore(DeliveryStore real) {
            this.real = real;
        }

        @Override
        public Arrival expect() {
            Arrival arrival = real.expect();
            taken.incrementAndGet();
            open.incrementAndGet();
            return Arrival.once(() -> {
                open.decrementAndGet();
                arrival.close();
            });
        }

        @Override
        public CompletableFuture<Insertion> insert(Delivery delivery, List<NewJob> jobs, Duration maxWait) {
            RuntimeException e = throwOnInsert;
            if (e != null) {
                throw e;
            }
            return real.insert(delivery, jobs, maxWait);
        }

        @Override
        public CompletableFuture<Boolean> insert(Delivery delivery) {
            return real.insert(delivery);
        }

        @Override
        public CompletableFuture<Boolean> insert(Delivery delivery, List<NewJob> jobs) {
            return real.insert(delivery, jobs);
        }

        @Override
        public void saveRuleVersion(String version, String text) {
            real.saveRuleVersion(version, text);
        }

        @Override
        public Optional<String> ruleVersionText(String version) {
            return real.ruleVersionText(version);
        }

        @Override
        public List<DeliverySummary> list(String repo, int limit) {
            return real.list(repo, limit);
        }

        @Override
        public Optional<Delivery> get(String id) {
            return real.get(id);
        }

        @Override
        public int pruneBefore(Instant cutoff) {
            return real.pruneBefore(cutoff);
        }
    }

    @TempDir
    Path dir;

    private SqliteStore sqlite;
    private CountingStore store;
    private Metrics metrics;
    private RouteServer server;
    private Http client;
    private final byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

    @BeforeEach
    void start() {
        metrics = new Metrics();
        sqlite = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.NORMAL, Clock.systemUTC(), metrics.registry());
        store = new CountingStore(sqlite);
        server = new RouteServer(SECRET, store, metrics, BodyBudget.forHeap(metrics.registry()), Duration.ofSeconds(30));
        client = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
        sqlite.close();
        metrics.close();
    }

    private Http.Response deliver(String id, String secret) {
        return client.post("/webhooks/bitbucket", body,
                Deliveries.headers(Edition.CLOUD, "pullrequest:created", id, secret, body));
    }

    private double deliveries(String outcome, String event) {
        return server.deliveries(event, outcome);
    }

    @Test
    void aBadlySignedRequestNeverHoldsTheStoresOpenBatch() {
        for (int i = 0; i < 5; i++) {
            assertThat(deliver("bad-" + i, "not-the-secret").status()).isEqualTo(401);
        }
        assertThat(client.post("/webhooks/bitbucket", body, "Content-Type", "application/json",
                "X-Event-Key", "pullrequest:created").status()).isEqualTo(401);

        // Before, every request took a slot before its signature was checked: a stream of unsigned bodies
        // kept the writer's batches open for their full window.
        assertThat(store.taken.get()).isZero();
    }

    @Test
    void aVerifiedDeliveryTakesOneSlotAndGivesItBackWhateverTheAnswer() {
        assertThat(deliver("ok-1", SECRET).status()).isEqualTo(202);
        assertThat(deliver("ok-1", SECRET).status()).isEqualTo(200); // duplicate
        assertThat(client.post("/webhooks/bitbucket", "{\"pullrequest\": ".getBytes(),
                Deliveries.headers(Edition.CLOUD, "pullrequest:created", "ok-2", SECRET,
                        "{\"pullrequest\": ".getBytes())).status()).isEqualTo(400);

        assertThat(store.taken.get()).isEqualTo(3);
        assertThat(store.open.get()).isZero();
    }

    @Test
    void aStoreThatThrowsInsteadOfFailingItsFutureIsACounted503() {
        store.throwOnInsert = new IllegalStateException("a bug in the store");

        Http.Response r = deliver("throws-1", SECRET);

        // Before, the exception escaped the intake: an uncounted 500.
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.json().get("error").asText()).isEqualTo("store_error");
        assertThat(r.json().get("message").asText()).contains("a bug in the store").contains("Bitbucket retries");
        assertThat(deliveries("store_error", "pullrequest:created")).isEqualTo(1.0);
        assertThat(store.open.get()).isZero();

        store.throwOnInsert = null;
        assertThat(deliver("throws-1", SECRET).status()).isEqualTo(202);
    }
}
