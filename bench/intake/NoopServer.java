import io.javalin.Javalin;

/**
 * The ceiling of bbagent's HTTP stack for the intake benchmark: Javalin 7 (Jetty 12, virtual threads),
 * as bbagent configures it, with one POST route that does nothing and answers 202. It neither reads
 * the body explicitly nor verifies, parses or stores anything.
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
            cfg.routes.post("/webhooks/bitbucket", ctx -> ctx.status(202));
        }).start(port);
    }
}
