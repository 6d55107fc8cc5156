package dev.bbagent.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real Prometheus on loopback for tests: a random port, its storage in a temp folder, a generated
 * configuration that scrapes one target as job "bbagent" every second and evaluates deploy/prometheus/alerts.yml
 * every second.
 */
public final class PrometheusServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Path ALERTS = Tools.ROOT.resolve("deploy/prometheus/alerts.yml");

    private final Process process;
    private final Path log;
    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PrometheusServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.base = "http://127.0.0.1:" + port;
    }

    /** Starts {@code prometheus} scraping {@code target} (host:port) and waits until it is ready. */
    public static PrometheusServer start(Path binary, Path dir, String target) throws IOException, InterruptedException {
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                rule_files:
                  - "%s"
                scrape_configs:
                  - job_name: bbagent
                    metrics_path: /metrics
                    static_configs:
                      - targets: ["%s"]
                """.formatted(ALERTS, target));
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(p, log, port);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!server.ready()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                server.close();
                throw new AssertionError("prometheus did not become ready:\n" + server.log());
            }
            Thread.sleep(100);
        }
        return server;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private boolean ready() {
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** An instant query: the API's whole answer ({@code status}, {@code data.result}, or {@code error}). */
    public JsonNode query(String promql) {
        return api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    }

    /** GET an API path and parse the answer; errors of the API are answers too (status "error"). */
    public JsonNode api(String path) {
        try {
            return JSON.readTree(get(path).body());
        } catch (IOException e) {
            throw new AssertionError("prometheus API " + path + " failed: " + e.getMessage() + "\n" + log(), e);
        }
    }

    /** Polls {@code check} every 200 ms until it holds; fails with {@code what} and the last answer after the timeout. */
    public JsonNode await(String what, Duration timeout, String path, Predicate<JsonNode> check) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = api(path);
            if (check.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("timed out waiting for " + what + "; last answer of " + path + ": " + last);
    }

    /** Waits until an instant query answers at least one series (a condition that holds, a series that exists). */
    public JsonNode awaitSeries(String what, Duration timeout, String promql) throws InterruptedException {
        return await(what, timeout, "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8),
                a -> !a.path("data").path("result").isEmpty());
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** What prometheus printed (for failure messages). */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
