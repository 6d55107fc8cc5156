package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.event.Edition;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a sender can make bbagent hold before its signature is checked: memory only for bytes that arrived,
 * within a budget shared by all requests, and only for a limited time. Raw sockets, because an HTTP client
 * would not send a Content-Length that lies, or stop halfway.
 */
class RequestBodyLimitsTest {

    private static final String SECRET = "limits-secret";
    private static final Duration READ_LIMIT = Duration.ofMillis(1500);
    /** Room for one body of the largest size, and no more. */
    private static final int BUDGET = RequestBody.MAX_BYTES + 1;

    @TempDir
    Path dir;

    private SqliteStore store;
    private Metrics metrics;
    private BodyBudget budget;
    private RouteServer server;
    private Http client;
    private final byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();

    @BeforeEach
    void start() {
        metrics = new Metrics();
        store = new SqliteStore(dir.resolve("bbagent.db"), SqliteFile.Sync.NORMAL, Clock.systemUTC(), metrics.registry());
        budget = new BodyBudget(BUDGET, Duration.ofMillis(300), READ_LIMIT);
        // A connection idle timeout as short as the read limit, to keep the test short.
        server = new RouteServer(SECRET, store, metrics, budget, READ_LIMIT);
        client = server.client();
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
        metrics.close();
    }

    /** A request whose headers announce {@code announced} bytes (or chunks when negative), then {@code sent}. */
    private Socket send(long announced, byte[] sent) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(20_000);
        String head = "POST /webhooks/bitbucket HTTP/1.1\r\nHost: bbagent\r\nContent-Type: application/json\r\n"
                + "X-Event-Key: pullrequest:created\r\nX-Request-UUID: raw-" + System.nanoTime() + "\r\n"
                + (announced >= 0 ? "Content-Length: " + announced : "Transfer-Encoding: chunked") + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(sent);
        out.flush();
        return s;
    }

    /** The status line and body of the answer on {@code s}. */
    private static String answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
            got.write(buf, 0, n);
            String text = got.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0 && text.substring(end).contains("}")) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    private double deliveries(String outcome) {
        return server.deliveries("other", outcome);
    }

    private Http.Response deliver(String id) {
        return client.post("/webhooks/bitbucket", body, Deliveries.headers(Edition.CLOUD, "pullrequest:created", id,
                SECRET, body));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(condition.getAsBoolean()).isTrue();
    }

    @Test
    void aContentLengthThatLiesHoldsMemoryOnlyForWhatArrivedAndOnlyUntilTheReadLimit() throws Exception {
        try (Socket liar = send(RequestBody.MAX_BYTES, "{\"a\":".getBytes(StandardCharsets.US_ASCII))) {
            waitFor(() -> budget.held() > 0);
            // Before, the whole announced MiB was allocated before a byte arrived: 140 such connections
            // filled a 256 MiB heap. Now the first read takes 16 KiB.
            assertThat(budget.held()).isEqualTo(RequestBody.FIRST_READ);

            // Meanwhile a real delivery is served.
            assertThat(deliver("during-the-liar").status()).isEqualTo(202);

            long start = System.nanoTime();
            String answer = answer(liar);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\":\"aborted\"")
                    .contains("the body stopped arriving");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
        waitFor(() -> budget.held() == 0);
        assertThat(deliveries("aborted")).isEqualTo(1.0);
        assertThat(deliveries("malformed")).isZero();
    }

    @Test
    void aSenderTricklingBytesIsCutOffOnceTheBodyHasTakenLongerThanTheReadLimit() throws Exception {
        try (Socket trickle = send(1000, "{".getBytes(StandardCharsets.US_ASCII))) {
            OutputStream out = trickle.getOutputStream();
            long start = System.nanoTime();
            String answer = null;
            // One byte every 300 ms: each read gets something, but the whole body never arrives in time.
            for (int i = 0; i < 40 && answer == null; i++) {
                Thread.sleep(300);
                try {
                    out.write(' ');
                    out.flush();
                } catch (IOException closed) {
                    answer = answer(trickle);
                }
                if (answer == null && trickle.getInputStream().available() > 0) {
                    answer = answer(trickle);
                }
            }
            assertThat(answer).startsWith("HTTP/1.1 408").contains("the body was still arriving after 1500ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        }
        waitFor(() -> budget.held() == 0);
        assertThat(deliveries("aborted")).isEqualTo(1.0);
    }

    @Test
    void whenBodiesBeingReadFillTheBudgetAnotherDeliveryIsABusy503AndIsServedOnceTheyAreGone() throws Exception {
        byte[] most = new byte[RequestBody.MAX_BYTES - 10];
        Arrays.fill(most, (byte) ' ');
        try (Socket big = send(RequestBody.MAX_BYTES, most)) {
            waitFor(() -> budget.held() == RequestBody.MAX_BYTES);

            Http.Response r = deliver("while-full");
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("error").asText()).isEqualTo("busy");
            assertThat(r.json().get("message").asText()).contains("its limit of 1 MiB").contains("Bitbucket retries");
            assertThat(deliveries("busy")).isEqualTo(1.0);

            assertThat(answer(big)).startsWith("HTTP/1.1 408");
        }
        waitFor(() -> budget.held() == 0);
        assertThat(deliver("while-full").status()).isEqualTo(202);
    }

    @Test
    void aChunkedBodyIsReadUpToTheLimitAndOneOverItIsRefused() throws Exception {
        byte[] signedChunk = chunked(body);
        String[] headers = Deliveries.headers(Edition.CLOUD, "pullrequest:created", "chunked-1", SECRET, body);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder("POST /webhooks/bitbucket HTTP/1.1\r\nHost: bbagent\r\n"
                    + "Transfer-Encoding: chunked\r\n");
            for (int i = 0; i < headers.length; i += 2) {
                head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            out.write(signedChunk);
            out.flush();
            assertThat(answer(s)).startsWith("HTTP/1.1 202").contains("\"delivery\":\"chunked-1\"");
        }

        byte[] tooBig = new byte[RequestBody.MAX_BYTES + 100];
        Arrays.fill(tooBig, (byte) ' ');
        try (Socket s = send(-1, chunked(tooBig))) {
            assertThat(answer(s)).startsWith("HTTP/1.1 413").contains("\"error\":\"too_large\"");
        }
        waitFor(() -> budget.held() == 0);
        assertThat(deliveries("too_large")).isEqualTo(1.0);
    }

    @Test
    void aBodyCutShortIsCountedAsAbortedNotMalformed() throws Exception {
        try (Socket s = send(100, "{\"pullrequest\":".getBytes(StandardCharsets.US_ASCII))) {
            s.shutdownOutput(); // the sender gives up halfway
            // A broken request, not a timeout: 400 (Jetty reports "Early EOF").
            assertThat(answer(s)).startsWith("HTTP/1.1 400").contains("\"error\":\"aborted\"");
        }
        waitFor(() -> budget.held() == 0);
        assertThat(deliveries("aborted")).isEqualTo(1.0);
        assertThat(deliveries("malformed")).isZero();
    }

    /** {@code data} as one chunk and the last, empty one. */
    private static byte[] chunked(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
