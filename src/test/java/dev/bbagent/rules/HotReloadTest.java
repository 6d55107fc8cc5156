package dev.bbagent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.config.Settings;
import dev.bbagent.event.Edition;
import dev.bbagent.testing.Deliveries;
import dev.bbagent.testing.Fixtures;
import dev.bbagent.testing.Http;
import dev.bbagent.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private void write(Path file, byte[] content) throws IOException {
        Path tmp = dir.resolve("rules.tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** What is logged (slf4j-simple writes to System.err) while a test runs; still shown on the console. */
    private static final class Log implements AutoCloseable {

        private final PrintStream original = System.err;
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

        Log() {
            OutputStream tee = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    original.write(b, off, len);
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                }
            };
            System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
        }

        String text() {
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        int count(String needle) {
            String t = text();
            int n = 0;
            for (int i = t.indexOf(needle); i >= 0; i = t.indexOf(needle, i + needle.length())) {
                n++;
            }
            return n;
        }

        @Override
        public void close() {
            System.setErr(original);
        }
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
                for (int n = 0; running.get(); n++) {
                    byte[] event = Deliveries.anotherEvent(body, "load-" + n); // each one queues its jobs
                    int s = server.deliver(Edition.CLOUD, "pullrequest:created", event).status();
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
            Http.Response r = server.deliver(Edition.CLOUD, "pullrequest:created", Deliveries.anotherEvent(body, "last"));
            assertThat(r.json().get("rules").get(0).asText()).isEqualTo("second");
            assertThat(server.app().rules().version(v1)).isPresent();
        }
    }

    private static final String REJECTED = "rules reload rejected; the rules of version ";

    @Test
    void aFileThatIsNotUtf8OrNotYamlIsRejectedLoudlyOncePerVersion() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("first"));
        try (Log log = new Log();
                TestServer server = new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET))) {
            String v1 = server.app().rules().current().version();

            write(file, new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'g', 'a', 'r', 'b', 'a', 'g', 'e', '\n'});
            await("the file that is not UTF-8 to be rejected",
                    () -> server.metric("bbagent_rules_reload_total", "outcome=\"failure\"") == 1.0);
            await("the rejection to be logged", () -> log.text().contains("not valid UTF-8"));
            assertThat(log.text()).contains(REJECTED + v1 + " stay in force:\n  " + file
                    + ":1: the file is not valid UTF-8 (byte 0xff at line 1, column 1); save it as UTF-8");

            Thread.sleep(2_500); // more than one poll: the same bad content is not rejected again
            assertThat(server.metric("bbagent_rules_reload_total", "outcome=\"failure\"")).isEqualTo(1.0);
            assertThat(log.count(REJECTED)).isEqualTo(1);

            write(file, rules("first").replace("    prompt:", "\tprompt:"));
            await("the file with a tab to be rejected",
                    () -> server.metric("bbagent_rules_reload_total", "outcome=\"failure\"") == 2.0);
            await("the rejection to be logged", () -> log.count(REJECTED) == 2);
            assertThat(log.text()).contains(file + ":5: not valid YAML: a tab at column 1; tabs cannot indent YAML, use spaces");

            assertThat(server.app().rules().current().version()).isEqualTo(v1);
            assertThat(server.http().get("/health/ready").status()).isEqualTo(200);

            write(file, rules("second"));
            await("the valid file to load", () -> server.app().rules().current().rule("second").isPresent());
            assertThat(server.metric("bbagent_rules_reload_total", "outcome=\"failure\"")).isEqualTo(2.0);
        }
    }

    @Test
    void aDeletedFileIsReportedOnceAndTheRulesStay() throws Exception {
        Path file = dir.resolve("rules.yaml");
        Files.writeString(file, rules("first"));
        try (Log log = new Log();
                TestServer server = new TestServer(Settings.forTests(dir.resolve("data"), file, TestServer.SECRET))) {
            String v1 = server.app().rules().current().version();
            String gone = "rules file " + file + " is gone; the rules of version " + v1 + " stay in force until it is back";

            Files.delete(file);
            await("the deletion to be logged", () -> log.text().contains(gone));
            Thread.sleep(2_500); // more than one poll
            assertThat(log.count(gone)).isEqualTo(1);
            assertThat(log.text()).contains("WARN").doesNotContain(REJECTED);
            assertThat(server.metric("bbagent_rules_reload_total", "outcome=\"failure\"")).isZero();
            assertThat(server.app().rules().current().rule("first")).isPresent();

            // the same bad content before and after a deletion is two events, each logged
            byte[] bad = "version: 1\nrules: [\n".getBytes(StandardCharsets.UTF_8);
            write(file, bad);
            await("the first bad file to be rejected", () -> log.count(REJECTED) == 1);
            Files.delete(file);
            await("the second deletion to be logged", () -> log.count(gone) == 2);
            write(file, bad);
            await("the same bad file to be rejected again", () -> log.count(REJECTED) == 2);
            assertThat(server.metric("bbagent_rules_reload_total", "outcome=\"failure\"")).isEqualTo(2.0);

            write(file, rules("second"));
            await("the restored file to load", () -> server.app().rules().current().rule("second").isPresent()
                    && server.metric("bbagent_rules_reload_total", "outcome=\"success\"") == 1.0);
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

            Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, ' ', 'x', '\n'});
            Http.Response notUtf8 = server.http().post("/api/rules/reload", new byte[0], AUTH);
            assertThat(notUtf8.status()).isEqualTo(422);
            assertThat(notUtf8.json().get("problems").get(0).asText())
                    .endsWith(":1: the file is not valid UTF-8 (byte 0xff at line 1, column 1); save it as UTF-8");

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
