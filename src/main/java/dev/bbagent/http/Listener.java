package dev.bbagent.http;

import io.javalin.config.JavalinConfig;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/** The HTTP listener bbagent serves on. */
public final class Listener {

    private Listener() {}

    /**
     * Listen on {@code host:port} (0: any free port) with connections that wait at most {@code idleTimeout}
     * for the next bytes, within a request (a webhook body that stopped arriving) or between requests.
     *
     * <p>Set on the connector rather than as Jetty's per-request {@code HttpConfiguration} idle timeout: a
     * shorter per-request one is applied to the connection at the start of every request, which cancels
     * and reschedules its idle timer and wakes Jetty's scheduler thread, work on every delivery for nothing
     * (bench/README.md, "Changes of 2026-12-06 (stop 14), measured"). The limit on the time a whole body
     * may take is enforced while reading it ({@code BodyBudget}).
     */
    public static void install(JavalinConfig cfg, String host, int port, Duration idleTimeout) {
        cfg.jetty.host = host;
        cfg.jetty.port = port;
        cfg.jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(host);
            connector.setPort(port);
            connector.setIdleTimeout(idleTimeout.toMillis());
            return connector;
        });
    }
}
