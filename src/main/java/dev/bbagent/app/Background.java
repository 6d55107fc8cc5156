package dev.bbagent.app;

import dev.bbagent.metrics.Metrics;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic maintenance loops (retention pruning and the like). A loop that throws is logged and
 * counted in {@code bbagent_errors_total{component}}, and runs again at its next tick.
 */
final class Background implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Background.class);

    private final ScheduledExecutorService exec =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("bbagent-background").daemon(true).factory());
    private final Metrics metrics;

    Background(Metrics metrics) {
        this.metrics = metrics;
    }

    void every(String component, Duration initialDelay, Duration period, Runnable task) {
        exec.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                metrics.error(component).increment();
                LOG.error("{} failed; it runs again in {}", component, period, e);
            }
        }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Run a task once, soon; on failure retry every minute until it succeeds (e.g. an API not reachable yet). */
    void once(String component, Runnable task) {
        exec.schedule(new Runnable() {
            @Override
            public void run() {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    metrics.error(component).increment();
                    LOG.warn("{} failed, next attempt in a minute: {}", component, e.getMessage());
                    exec.schedule(this, 1, TimeUnit.MINUTES);
                }
            }
        }, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        exec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
