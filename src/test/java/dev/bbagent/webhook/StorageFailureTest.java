package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.event.Edition;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full or stalled disk must turn into a 503 (Bitbucket retries it), a counter, and no lost delivery afterwards.
 */
class StorageFailureTest {

    @TempDir
    Path data;

    private static void limitPages(TestServer server, boolean full) {
        server.app().store().file().writer().call(c -> {
            try (Statement st = c.createStatement()) {
                long pages;
                try (ResultSet rs = st.executeQuery("PRAGMA page_count")) {
                    pages = rs.next() ? rs.getLong(1) : 1;
                }
                // SQLite answers SQLITE_FULL ("database or disk is full") past max_page_count: a real disk-full path.
                st.execute("PRAGMA max_page_count = " + (full ? pages : 1_000_000_000L));
            }
            return null;
        });
    }

    @Test
    void aFullDiskAnswers503AndTheRetryAfterSpaceIsFreedIsStored() {
        try (TestServer server = TestServer.start(data)) {
            byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();
            limitPages(server, true);

            // The file may have free room left in its last pages: deliver until the disk is "full".
            Http.Response failed = null;
            String failedId = null;
            byte[] failedBody = null;
            for (int i = 0; i < 200 && failed == null; i++) {
                byte[] event = Deliveries.anotherEvent(body, "full-" + i);
                Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", "full-" + i, event);
                if (r.status() != 202) {
                    failed = r;
                    failedId = "full-" + i;
                    failedBody = event;
                }
            }

            assertThat(failed).isNotNull();
            assertThat(failed.status()).isEqualTo(503);
            assertThat(failed.json().get("error").asText()).isEqualTo("store_error");
            assertThat(failed.json().get("message").asText()).contains("full").contains("Bitbucket retries");
            assertThat(server.metric("bbagent_webhook_deliveries_total",
                    "edition=\"cloud\",event=\"pullrequest:created\",outcome=\"store_error\"")).isEqualTo(1.0);
            assertThat(server.app().store().get(failedId)).isEmpty();

            limitPages(server, false);
            Http.Response retried = server.deliver(Edition.CLOUD, "pullrequest:created", failedId, failedBody);

            assertThat(retried.status()).isEqualTo(202);
            assertThat(server.app().store().get(failedId)).isPresent();
        }
    }

    @Test
    void aStalledDiskAnswers503BeforeBitbucketGivesUpAndTheRetryIsADuplicate() throws Exception {
        try (TestServer server = TestServer.start(data)) {
            byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();
            CountDownLatch disk = new CountDownLatch(1);
            server.app().store().file().writer().submit(c -> {
                try {
                    disk.await(); // the writer hangs in a commit, as on a stalled disk
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return null;
            });

            long start = System.nanoTime();
            Http.Response slow = server.deliver(Edition.CLOUD, "pullrequest:created", "stalled-1", body);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);

            assertThat(slow.status()).isEqualTo(503);
            assertThat(slow.json().get("message").asText()).contains("not confirmed within 8 s")
                    .contains("Bitbucket retries");
            assertThat(waited).isBetween(Duration.ofSeconds(8), Duration.ofMillis(9_500));
            assertThat(server.metric("bbagent_webhook_deliveries_total",
                    "edition=\"cloud\",event=\"pullrequest:created\",outcome=\"store_error\"")).isEqualTo(1.0);
            assertThat(server.metric("bbagent_store_timeouts_total", "db=\"main\"")).isEqualTo(1.0);

            // Readiness says so within its probe's 2 s, naming the file; before, the probe waited for the
            // stalled commit with no limit, so the orchestrator's probe timed out without a reason.
            start = System.nanoTime();
            Http.Response ready = server.http().get("/health/ready");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().at("/checks/database/status").asText()).isEqualTo("failing");
            assertThat(ready.json().at("/checks/database/reason").asText())
                    .startsWith(server.app().store().file().path().toString())
                    .contains("did not commit a write within 2 s");

            disk.countDown();
            // The late commit went through, so Bitbucket's retry is a duplicate rather than a second copy.
            Http.Response retried = server.deliver(Edition.CLOUD, "pullrequest:created", "stalled-1", body);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(retried.json().get("status").asText()).isEqualTo("duplicate");
            assertThat(server.http().get("/health/ready").status()).isEqualTo(200);
        }
    }
}
