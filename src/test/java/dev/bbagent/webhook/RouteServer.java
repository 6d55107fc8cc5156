package dev.bbagent.webhook;

import dev.bbagent.http.Errors;
import dev.bbagent.http.Listener;
import dev.bbagent.metrics.Metrics;
import dev.bbagent.rules.RulesRuntime;
import dev.bbagent.store.DeliveryStore;
import dev.bbagent.testing.Http;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /webhooks/bitbucket} alone on a real port, wired as App wires it (the shipped rules, the
 * error mapper, the listener), in front of a store a test chooses, with {@code /metrics} to read the counts.
 */
final class RouteServer implements AutoCloseable {

    private final Metrics metrics;
    private final Javalin http;
    private final Http client;

    RouteServer(String secret, DeliveryStore store, Metrics metrics, BodyBudget budget, Duration idleTimeout) {
        this.metrics = metrics;
        RulesRuntime rules = new RulesRuntime(Path.of("config/rules.yaml"), Map.of(), metrics, r -> {},
                v -> Optional.empty());
        BitbucketWebhook webhook = new BitbucketWebhook(new SignatureVerifier(List.of(secret), false), store, rules,
                metrics, Clock.systemUTC(), () -> {}, budget);
        this.http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            Listener.install(cfg, "127.0.0.1", 0, idleTimeout);
            Errors.install(cfg);
            cfg.routes.post("/webhooks/bitbucket", webhook);
            cfg.routes.get("/metrics", ctx -> ctx.result(metrics.scrape()));
        }).start();
        this.client = new Http("http://127.0.0.1:" + http.port());
    }

    int port() {
        return http.port();
    }

    Http client() {
        return client;
    }

    /** {@code bbagent_webhook_deliveries_total} for a Cloud event label and an outcome; 0 when absent. */
    double deliveries(String event, String outcome) {
        String prefix = "bbagent_webhook_deliveries_total{edition=\"cloud\",event=\"" + event + "\",outcome=\"" + outcome
                + "\"} ";
        return client.get("/metrics").body().lines().filter(l -> l.startsWith(prefix))
                .mapToDouble(l -> Double.parseDouble(l.substring(prefix.length()))).findFirst().orElse(0);
    }

    @Override
    public void close() {
        http.stop();
    }
}
