package dev.bbagent.fake.bitbucket;

import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A webhook endpoint for tests: a real Javalin on a free port that records every POST and answers scripted
 * statuses (200 once the script runs out), optionally after a delay.
 */
final class Receiver implements AutoCloseable {

    /** One received POST: headers (case-insensitive names) and the raw body. */
    record Received(Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final Deque<Integer> script = new ArrayDeque<>();
    private final List<Received> received = new ArrayList<>();
    private final Javalin http;
    private volatile Duration delay = Duration.ZERO;

    Receiver() {
        http = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.concurrency.useVirtualThreads = true;
            cfg.routes.post("/hook", ctx -> {
                TreeMap<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                headers.putAll(ctx.headerMap());
                synchronized (this) {
                    received.add(new Received(headers, ctx.bodyAsBytes()));
                }
                Thread.sleep(delay.toMillis());
                Integer status;
                synchronized (this) {
                    status = script.pollFirst();
                }
                ctx.status(status == null ? 200 : status);
            });
        }).start("127.0.0.1", 0);
    }

    String url() {
        return "http://127.0.0.1:" + http.port() + "/hook";
    }

    /** Answer these statuses to the next requests, in order. */
    synchronized Receiver answer(Integer... statuses) {
        script.addAll(List.of(statuses));
        return this;
    }

    Receiver delay(Duration value) {
        this.delay = value;
        return this;
    }

    synchronized List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        http.stop();
    }
}
