package dev.bbagent.testing;

import dev.bbagent.app.App;
import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

/** A real bbagent on loopback, port 0, with its data in a temp folder. */
public final class TestServer implements AutoCloseable {

    public static final String SECRET = "s3cret-for-tests";

    private final App app;
    private final Http http;

    public TestServer(Settings settings) {
        this(settings, null);
    }

    /** With a job handler of the test's own (null: the real one). */
    public TestServer(Settings settings, dev.bbagent.queue.JobHandler handler) {
        this(settings, Map.of(), handler);
    }

    /** With an environment of the test's own (what rules.yaml and the built-in tools read). */
    public TestServer(Settings settings, Map<String, String> env, dev.bbagent.queue.JobHandler handler) {
        this(settings, env, handler, Clock.systemUTC());
    }

    /** With a clock the test moves (retries and budgets without waiting). */
    public TestServer(Settings settings, Map<String, String> env, dev.bbagent.queue.JobHandler handler, Clock clock) {
        this.app = App.start(settings, env, clock, handler);
        this.http = new Http("http://127.0.0.1:" + app.port());
    }

    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    public static TestServer start(Path dataDir) {
        return new TestServer(Settings.forTests(dataDir, Path.of("config/rules.yaml"), SECRET));
    }

    public App app() {
        return app;
    }

    public Http http() {
        return http;
    }

    /** POST a delivery signed with {@link #SECRET} and a fresh delivery id. */
    public Http.Response deliver(Edition edition, String eventKey, byte[] body) {
        return deliver(edition, eventKey, UUID.randomUUID().toString(), body);
    }

    public Http.Response deliver(Edition edition, String eventKey, String deliveryId, byte[] body) {
        return http.post("/webhooks/bitbucket", body, Deliveries.headers(edition, eventKey, deliveryId, SECRET, body));
    }

    /** The current value of one Prometheus sample line, 0 when absent. */
    public double metric(String name, String labels) {
        String prefix = labels.isEmpty() ? name : name + "{" + labels + "}";
        return http.get("/metrics").body().lines().filter(l -> l.startsWith(prefix + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length() + 1))).findFirst().orElse(0);
    }

    @Override
    public void close() {
        app.close();
    }
}
