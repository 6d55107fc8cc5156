package dev.bbagent.fake.bitbucket;

import dev.bbagent.webhook.SignatureVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers webhook events the way Bitbucket Cloud does: a JSON POST with {@code X-Event-Key},
 * {@code X-Request-UUID}, {@code X-Hook-UUID}, {@code X-Attempt-Number}, {@code X-Event-Time},
 * {@code User-Agent: Bitbucket-Webhooks/2.0} and, when the hook has a secret, {@code X-Hub-Signature}; a
 * timeout per attempt (10 s by default); on a 5xx or no answer, up to two more attempts right away with the
 * same request UUID. Deliveries go out one at a time, in the order the events happened.
 */
final class WebhookSender implements AutoCloseable {

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    static final int MAX_ATTEMPTS = 3;
    static final String USER_AGENT = "Bitbucket-Webhooks/2.0";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("fake-bitbucket-webhooks").factory());
    private final List<WebhookDelivery> done = new ArrayList<>();
    private int inFlight;

    WebhookSender(Duration timeout, Clock clock) {
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** Queue one event for one hook; returns the delivery's {@code X-Request-UUID}. */
    String send(Hook hook, String eventKey, byte[] body) {
        String requestUuid = UUID.randomUUID().toString();
        synchronized (this) {
            inFlight++;
        }
        worker.execute(() -> deliver(hook, eventKey, body, requestUuid));
        return requestUuid;
    }

    private void deliver(Hook hook, String eventKey, byte[] body, String requestUuid) {
        Map<String, String> headers = new LinkedHashMap<>();
        List<WebhookDelivery.Attempt> attempts = new ArrayList<>();
        try {
            headers.put("Content-Type", "application/json");
            headers.put("User-Agent", USER_AGENT);
            headers.put("X-Event-Key", eventKey);
            headers.put("X-Event-Time", Timestamps.http(clock.instant()));
            headers.put("X-Hook-UUID", Ids.unbraced(hook.uuid()));
            headers.put("X-Request-UUID", requestUuid);
            if (hook.secret() != null) {
                headers.put("X-Hub-Signature", SignatureVerifier.sign(hook.secret(), body));
            }
            for (int n = 1; n <= MAX_ATTEMPTS; n++) {
                WebhookDelivery.Attempt attempt = attempt(hook.url(), headers, n, body);
                attempts.add(attempt);
                if (!attempt.retryable() || Thread.currentThread().isInterrupted()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("fake Bitbucket: delivering {} to {} failed", eventKey, hook.url(), e);
            attempts.add(new WebhookDelivery.Attempt(attempts.size() + 1, 0, "NETWORK ERROR: " + e, clock.instant()));
        } finally {
            synchronized (this) {
                done.add(new WebhookDelivery(requestUuid, Ids.unbraced(hook.uuid()), hook.url(), eventKey,
                        new String(body, StandardCharsets.UTF_8), headers, attempts));
                inFlight--;
                notifyAll();
            }
        }
    }

    private WebhookDelivery.Attempt attempt(String url, Map<String, String> headers, int number, byte[] body) {
        Instant at = clock.instant();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        request.header("X-Attempt-Number", Integer.toString(number));
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new WebhookDelivery.Attempt(number, response.statusCode(), null, at);
        } catch (HttpTimeoutException e) {
            return new WebhookDelivery.Attempt(number, 0, "TIMEOUT", at);
        } catch (IOException e) {
            return new WebhookDelivery.Attempt(number, 0, "NETWORK ERROR: " + e, at);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new WebhookDelivery.Attempt(number, 0, "NETWORK ERROR: interrupted", at);
        }
    }

    synchronized List<WebhookDelivery> deliveries() {
        return List.copyOf(done);
    }

    synchronized void clear() {
        done.clear();
    }

    /** Wait until at least {@code count} deliveries finished (all their attempts made); returns them all. */
    synchronized List<WebhookDelivery> await(int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (done.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("expected " + count + " finished webhook deliveries within " + within
                        + ", got " + done.size() + " (" + inFlight + " still being sent): "
                        + done.stream().map(d -> d.eventKey() + "->" + d.finalStatus()).toList());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for webhook deliveries", e);
            }
        }
        return List.copyOf(done);
    }

    @Override
    public void close() {
        worker.shutdownNow();
        http.shutdownNow();
    }
}
