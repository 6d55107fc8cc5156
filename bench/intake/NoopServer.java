import io.javalin.Javalin;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The ceiling of bbagent's HTTP stack for the intake benchmark: Javalin 7 (Jetty 12, virtual threads),
 * as bbagent configures it (its listener with a 30 s idle timeout set on the connector, as
 * {@code dev.bbagent.http.Listener} does), with one POST route that does nothing and answers 202. It neither reads the body explicitly
 * nor verifies, parses or stores anything.
 *
 * <p>Run: {@code $JAVA_HOME/bin/java -cp 'target/lib/*' bench/intake/NoopServer.java PORT}
 */
public class NoopServer {
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        Javalin.create(cfg -> {
            cfg.concurrency.useVirtualThreads = true;
            cfg.startup.showJavalinBanner = false;
            cfg.jetty.host = "127.0.0.1";
            cfg.jetty.port = port;
            cfg.jetty.addConnector((server, http) -> {
                ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
                connector.setHost("127.0.0.1");
                connector.setPort(port);
                connector.setIdleTimeout(30_000);
                return connector;
            });
            cfg.routes.post("/webhooks/bitbucket", ctx -> ctx.status(202));
        }).start();
    }
}
