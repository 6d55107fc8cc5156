package dev.bbagent.cli;

import dev.bbagent.app.App;
import dev.bbagent.config.ConfigException;
import dev.bbagent.config.SettingsLoader;
import dev.bbagent.rules.RulesException;
import dev.bbagent.config.SettingsLoader.Def;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bbagent serve}: run the webhook server and workers until SIGTERM. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the webhook server until SIGTERM or Ctrl-C.",
            "Each setting comes from its flag, else its environment variable, else its default."
        })
final class ServeCommand implements Callable<Integer> {

    // Not static: creating the logger starts SLF4J, which other commands (demo) configure first.
    private final Logger log = LoggerFactory.getLogger(ServeCommand.class);

    @Option(names = "--host", paramLabel = "HOST", description = "Interface to listen on. Env BBAGENT_HOST; default 0.0.0.0.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "HTTP port, 0 for any free one. Env BBAGENT_PORT; default 8080.")
    String port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data folder. Env BBAGENT_DATA_DIR; default ./data.")
    String dataDir;

    @Option(names = "--rules", paramLabel = "FILE", description = "Rules file. Env BBAGENT_RULES; default config/rules.yaml.")
    String rules;

    @Option(names = "--allow-unsigned", paramLabel = "BOOL", arity = "0..1", fallbackValue = "true",
            description = "Accept unsigned deliveries when no secret is set. Env BBAGENT_ALLOW_UNSIGNED; default false.")
    String allowUnsigned;

    @Option(names = "--delivery-retention-days", paramLabel = "DAYS",
            description = "Days to keep stored deliveries. Env BBAGENT_DELIVERY_RETENTION_DAYS; default 30.")
    String retentionDays;

    @Option(names = "--db-sync", paramLabel = "full|normal",
            description = "full fsyncs every commit; normal survives a killed process only. Env BBAGENT_DB_SYNC; default full.")
    String dbSync;

    @Option(names = "--workers", paramLabel = "N", description = "Jobs running at once. Env BBAGENT_WORKERS; default 16.")
    String workers;

    @Option(names = "--max-per-repo", paramLabel = "N",
            description = "Jobs running at once per repository, 0 for no limit. Env BBAGENT_MAX_PER_REPO; default 0.")
    String maxPerRepo;

    @Option(names = "--shutdown-grace", paramLabel = "DURATION",
            description = "Time running jobs get on SIGTERM. Env BBAGENT_SHUTDOWN_GRACE; default 30s.")
    String shutdownGrace;

    @Override
    public Integer call() {
        Map<Def, String> flags = new EnumMap<>(Def.class);
        put(flags, Def.HOST, host);
        put(flags, Def.PORT, port);
        put(flags, Def.DATA_DIR, dataDir);
        put(flags, Def.RULES, rules);
        put(flags, Def.ALLOW_UNSIGNED, allowUnsigned);
        put(flags, Def.DELIVERY_RETENTION_DAYS, retentionDays);
        put(flags, Def.DB_SYNC, dbSync);
        put(flags, Def.SHUTDOWN_GRACE, shutdownGrace);
        put(flags, Def.WORKERS, workers);
        put(flags, Def.MAX_PER_REPO, maxPerRepo);
        SettingsLoader.Loaded loaded;
        try {
            loaded = SettingsLoader.load(flags, System.getenv());
        } catch (ConfigException e) {
            System.err.println("bbagent: cannot start: " + e.getMessage());
            return 2;
        }
        loaded.description().forEach(line -> log.info("setting {}", line));
        // The hook is in place before the server listens: a SIGTERM that arrives as soon as the port is open
        // still stops bbagent gracefully. A SIGTERM during startup waits for startup to finish first.
        AtomicReference<App> started = new AtomicReference<>();
        CountDownLatch startup = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("bbagent-shutdown").unstarted(() -> {
            try {
                startup.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            App running = started.get();
            if (running == null) {
                return; // startup failed (its exit code stands) or never finished
            }
            log.info("shutting down");
            running.close();
            stopped.countDown();
            log.info("stopped cleanly");
            // A SIGTERM'd JVM exits 143 unless told otherwise; a graceful stop that released every job is a success.
            Runtime.getRuntime().halt(0);
        }));
        try {
            started.set(App.start(loaded.settings(), Clock.systemUTC()));
        } catch (RulesException | ConfigException e) {
            System.err.println("bbagent: cannot start: " + e.getMessage());
            System.err.println("fix the file, check it with `bbagent validate`, then start again");
            return 2;
        } finally {
            startup.countDown();
        }
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static void put(Map<Def, String> flags, Def def, String value) {
        if (value != null) {
            flags.put(def, value);
        }
    }
}
