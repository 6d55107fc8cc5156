package dev.bbagent.fake.jira;

import dev.bbagent.webhook.SignatureVerifier;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Registered admin webhooks and their delivery, the way Jira Cloud sends them: a JSON POST with
 * {@code X-Atlassian-Webhook-Identifier} (the same on retries), {@code X-Hub-Signature: sha256=<hex>} when the
 * webhook has a secret, {@code User-Agent: Atlassian Webhook HTTP Client}; on a 5xx, 429 or no answer up to two
 * more attempts with {@code X-Atlassian-Webhook-Retry}. One at a time, in the order the events happened.
 */
final class JiraHooks implements AutoCloseable {

    static final int MAX_ATTEMPTS = 3;

    /** A webhook: where to, its secret (null: unsigned), its events and optional project keys (the JQL filter). */
    record Hook(String url, String secret, Set<String> events, Set<String> projects) {}

    private final List<Hook> hooks = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(Thread.ofVirtual().name("fake-jira-webhooks").factory());
    private final List<JiraDelivery> done = new ArrayList<>();

    void register(Hook hook) {
        hooks.add(hook);
    }

    /** Queue the event for every webhook subscribed to it (and to the project); returns how many. */
    int send(String event, String project, byte[] body) {
        int n = 0;
        for (Hook h : hooks) {
            if (h.events().contains(event) && (h.projects().isEmpty() || h.projects().contains(project))) {
                String id = UUID.randomUUID().toString();
                worker.execute(() -> deliver(h, event, body, id));
                n++;
            }
        }
        return n;
    }

    private void deliver(Hook hook, String event, byte[] body, String id) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json; charset=utf-8");
        headers.put("User-Agent", "Atlassian Webhook HTTP Client");
        headers.put("X-Atlassian-Webhook-Identifier", id);
        if (hook.secret() != null && !hook.secret().isEmpty()) {
            headers.put("X-Hub-Signature", SignatureVerifier.sign(hook.secret(), body));
        }
        List<Integer> statuses = new ArrayList<>();
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url())).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(request::header);
            if (attempt > 1) {
                request.header("X-Atlassian-Webhook-Retry", Integer.toString(attempt - 1));
            }
            int status;
            try {
                status = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                status = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                status = 0;
            }
            statuses.add(status);
            if (!(status == 0 || status == 429 || status >= 500) || Thread.currentThread().isInterrupted()) {
                break;
            }
        }
        synchronized (this) {
            done.add(new JiraDelivery(id, hook.url(), event, new String(body, StandardCharsets.UTF_8), headers, statuses));
            notifyAll();
        }
    }

    synchronized List<JiraDelivery> deliveries() {
        return List.copyOf(done);
    }

    synchronized List<JiraDelivery> await(int count, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (done.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("expected " + count + " finished Jira webhook deliveries within "
                        + within + ", got " + done.size() + ": " + done.stream().map(d -> d.event() + "->"
                        + d.finalStatus()).toList());
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Jira webhook deliveries", e);
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
