package dev.bbagent.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.event.Edition;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteStore;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real bbagent process, killed with SIGKILL right after answering, loses no accepted delivery. */
class KillDurabilityTest {

    private static final Pattern LISTENING = Pattern.compile("listening on http://[^:]+:(\\d+)");

    @TempDir
    Path data;

    @Test
    void deliveriesAnsweredBeforeKillMinus9AreAllOnDisk() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), "dev.bbagent.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString(), "--db-sync", "normal");
        pb.environment().put("BITBUCKET_WEBHOOK_SECRET", "kill-secret");
        pb.environment().put("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            int port = awaitPort(p);
            Http http = new Http("http://127.0.0.1:" + port);
            byte[] fixture = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();
            List<String> accepted = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                String id = "kill-" + i;
                byte[] body = Deliveries.anotherEvent(fixture, id); // 50 events, each with its jobs
                Http.Response r = http.post("/webhooks/bitbucket", body,
                        Deliveries.headers(Edition.CLOUD, "pullrequest:created", id, "kill-secret", body));
                assertThat(r.status()).isEqualTo(202);
                accepted.add(id);
            }
            p.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no checkpoint
            assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();

            try (SqliteStore store = new SqliteStore(data.resolve("bbagent.db"), SqliteFile.Sync.FULL,
                    Clock.systemUTC(), new SimpleMeterRegistry())) {
                for (String id : accepted) {
                    assertThat(store.get(id)).as(id).isPresent();
                }
            }
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermStopsTheServerCleanlyWithExitCode0() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("java.class.path"), "dev.bbagent.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", "0", "--data-dir", data.toString(), "--shutdown-grace", "2s");
        pb.environment().put("BITBUCKET_WEBHOOK_SECRET", "term-secret");
        pb.environment().put("OPENAI_BASE_URL", "http://127.0.0.1:9/v1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            awaitPort(p);
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    private static int awaitPort(Process p) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        StringBuilder seen = new StringBuilder();
        String line;
        while (System.nanoTime() < deadline && (line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                Thread.ofVirtual().start(() -> out.lines().forEach(l -> { }));
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("bbagent did not start:\n" + seen);
    }
}
