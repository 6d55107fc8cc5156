package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HotReloadTest {

    private static final String[] AUTH = {"Authorization", "Bearer test-admin-token"};

    @TempDir
    Path dir;

    private static String rules(String name) {
        return """
                version: 1
                rules:
                  - name: %s
                    on: [pull_request.opened]
                    prompt: "review {{pull_request.id}}"
                """.formatted(name);
    }

    /** Replace the file the way editors and ConfigMaps do: write aside, then move over. */
    private void write(Path file, String text) throws IOException {
        Path tmp = dir.resolve("rules.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void await(String what, java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aValidNewFileReplacesTheRulesAndAnInvalidOneIsRejectedWhileDeliveriesArrive() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("first"));
        byte[] body = Fixtures.named("cloud/pullrequest-created__bbs-plugin.json").bytes();
        try (TestServer server = new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET))) {
            String v1 = server.app().rules().current().version();
            AtomicInteger failures = new AtomicInteger();
            AtomicReference<Boolean> running = new AtomicReference<>(true);
            Thread load = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    int s = server.deliver(Edition.CLOUD, "pullrequest:created", body).status();
                    if (s != 202) {
                        failures.incrementAndGet();
                    }
                }
            });

            write(file, rules("second"));
            await("the valid file to load", () -> server.app().rules().current().rule("second").isPresent()
                    && server.metric("bbagent_rules_reload_total", "outcome=\"success\"") == 1.0);

            write(file, "version: 1\nrules:\n  - name: broken\n    on: [nope]\n    prompt: x\n");
            await("the invalid file to be rejected",
                    () -> server.metric("bbagent_rules_reload_total", "outcome=\"failure\"") >= 1);

            running.set(false);
            load.join();
            assertThat(failures.get()).as("deliveries failed during reloads").isZero();
            assertThat(server.app().rules().current().rule("second")).isPresent();
            assertThat(server.app().rules().current().version()).isNotEqualTo(v1);
            assertThat(server.http().get("/health/ready").status()).isEqualTo(200);
            assertThat(server.metric("bbagent_rules_loaded", "")).isEqualTo(1.0);
            Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", body);
            assertThat(r.json().get("rules").get(0).asText()).isEqualTo("second");
            assertThat(server.app().rules().version(v1)).isPresent();
        }
    }

    @Test
    void theAdminApiReloadsOnDemandAndReportsProblems() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("first"));
        try (TestServer server = new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET))) {
            Files.writeString(file, rules("first").replace("prompt:", "promt:"));

            Http.Response bad = server.http().post("/api/rules/reload", new byte[0], AUTH);

            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().get("ok").asBoolean()).isFalse();
            assertThat(bad.json().get("problems").toString()).contains("unknown key 'promt'");

            Files.writeString(file, rules("third"));
            Http.Response good = server.http().post("/api/rules/reload", new byte[0], AUTH);
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.json().get("changed").asBoolean()).isTrue();
            assertThat(server.http().get("/api/rules", AUTH).json().at("/rules/0/name").asText()).isEqualTo("third");
        }
    }

    @Test
    void anInvalidFileAtStartupStopsTheServerWithEveryProblem() throws IOException {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, "version: 2\nrules: []\n");

        try (TestServer ignored = new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET))) {
            throw new AssertionError("started with an invalid rules file");
        } catch (RulesException e) {
            assertThat(e.getMessage()).contains("rules.yaml:1: version: must be 1");
        }
    }
}
