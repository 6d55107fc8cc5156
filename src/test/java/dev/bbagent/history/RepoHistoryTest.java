package dev.bbagent.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bbagent.history.HistoryRecords.Message;
import dev.bbagent.history.HistoryRecords.NewRun;
import dev.bbagent.history.HistoryRecords.RunEnd;
import dev.bbagent.history.HistoryRecords.ToolCall;
import dev.bbagent.testing.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoHistoryTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-11-25T10:00:00Z");
    private HistoryStore store;

    @BeforeEach
    void open() {
        store = new HistoryStore(dir, new Redactor(List.of("super-secret-value")), clock, new SimpleMeterRegistry(), 50,
                Duration.ofMillis(1));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static NewRun run(long job, String thread, String prompt) {
        return new NewRun(job, "d-" + job, "review", "v1", thread, 1, "m", "chat", prompt);
    }

    private static RunEnd done(String answer, double cost, int writes) {
        return new RunEnd("completed", 100, 20, 0, cost, 2, 1, writes, answer, null, null);
    }

    private static ToolCall write(String tool, String outcome) {
        return new ToolCall("c", "bitbucket", tool, "{}", "ok", outcome, "allowed", false, 5, null);
    }

    @Test
    void sixteenConcurrentRunsOnOneRepositoryNeverSeeALockedDatabase() throws Exception {
        List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int n = t;
            threads.add(Thread.ofVirtual().start(() -> {
                try (HistoryStore.Handle h = store.open("acme/widgets")) {
                    go.await();
                    for (int r = 0; r < 5; r++) {
                        long id = h.history().startRun(run(n * 100 + r, "acme/widgets#pr-" + n, "prompt"));
                        for (int m = 0; m < 10; m++) {
                            h.history().message(id, new Message(m, "user", "message " + m, null, null, null));
                        }
                        h.history().toolCall(id, write("create_pull_request_comment", "ok"));
                        h.history().finishRun(id, done("answer", 0.01, 1));
                        h.history().runs(null, null, 5);
                        h.history().memory("acme/widgets#pr-" + n, 1000, Long.MAX_VALUE);
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            }));
        }
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }

        assertThat(errors).isEmpty();
        try (HistoryStore.Handle h = store.open("acme/widgets")) {
            assertThat(h.history().runs(null, "completed", 1000)).hasSize(80);
            assertThat(h.history().run(1).orElseThrow().messages()).hasSize(10);
        }
    }

    @Test
    void threadMemoryIsNewestFirstWithinTheTokenBudgetAndReadsOldestFirst() {
        try (HistoryStore.Handle handle = store.open("acme/widgets")) {
            RepoHistory h = handle.history();
            for (int i = 1; i <= 3; i++) {
                long id = h.startRun(run(i, "acme/widgets#pr-1", "prompt " + i + " " + "x".repeat(100)));
                h.finishRun(id, done("answer " + i, 0, 0));
            }
            long other = h.startRun(run(9, "acme/widgets#pr-2", "elsewhere"));
            h.finishRun(other, done("no", 0, 0));

            var all = h.memory("acme/widgets#pr-1", 1000, Long.MAX_VALUE);
            var two = h.memory("acme/widgets#pr-1", 60, Long.MAX_VALUE);

            assertThat(all).extracting(HistoryRecords.MemoryTurn::answer).containsExactly("answer 1", "answer 2", "answer 3");
            assertThat(two).extracting(HistoryRecords.MemoryTurn::answer).containsExactly("answer 2", "answer 3");
            assertThat(h.memory("acme/widgets#pr-1", 1000, 2)).extracting(HistoryRecords.MemoryTurn::answer)
                    .containsExactly("answer 1");
        }
    }

    @Test
    void writesSinceCountsSucceededWritesOfTheThreadOnly() {
        try (HistoryStore.Handle handle = store.open("acme/widgets")) {
            RepoHistory h = handle.history();
            long id = h.startRun(run(1, "acme/widgets#pr-1", "p"));
            h.toolCall(id, write("create_pull_request_comment", "ok"));
            h.toolCall(id, write("create_pull_request_comment", "denied"));
            h.toolCall(id, new ToolCall("c", "bitbucket", "get_file", "{}", "x", "ok", "allowed", true, 1, null));
            clock.advance(Duration.ofMinutes(61));
            long later = h.startRun(run(2, "acme/widgets#pr-1", "p"));
            h.toolCall(later, write("create_pull_request_comment", "ok"));

            assertThat(h.writesSince("acme/widgets#pr-1", clock.instant().minus(Duration.ofHours(1)))).isEqualTo(1);
            assertThat(h.writesSince("acme/widgets#pr-1", clock.instant().minus(Duration.ofHours(2)))).isEqualTo(2);
            assertThat(h.writesSince("acme/widgets#pr-9", clock.instant().minus(Duration.ofHours(2)))).isZero();
            assertThat(h.earlierWrites(1)).singleElement().satisfies(w -> assertThat(w.outcome()).isEqualTo("ok"));
        }
    }

    @Test
    void costSinceAndRetentionWorkOnStartTimes() {
        try (HistoryStore.Handle handle = store.open("acme/widgets")) {
            RepoHistory h = handle.history();
            long old = h.startRun(run(1, "t", "p"));
            h.finishRun(old, done("a", 1.5, 0));
            h.message(old, new Message(0, "user", "hi", null, null, null));
            clock.advance(Duration.ofDays(2));
            long recent = h.startRun(run(2, "t", "p"));
            h.finishRun(recent, done("b", 0.25, 0));

            assertThat(h.costSince(clock.instant().minus(Duration.ofDays(1)))).isEqualTo(0.25);
            assertThat(h.pruneBefore(clock.instant().minus(Duration.ofDays(1)))).isEqualTo(1);
            assertThat(h.run(old)).isEmpty();
            assertThat(h.run(recent)).isPresent();
        }
    }

    @Test
    void everyTextIsRedactedAndLongResultsAreCut() {
        try (HistoryStore.Handle handle = store.open("acme/widgets")) {
            RepoHistory h = handle.history();
            long id = h.startRun(run(1, "t", "prompt with super-secret-value"));
            h.message(id, new Message(0, "user", "Authorization: Bearer abcdefghijklmnop1234", null, null, null));
            h.toolCall(id, new ToolCall("c", "s", "t", "{\"token\": \"super-secret-value\"}", "r".repeat(200), "ok", "allowed",
                    true, 1, null));
            h.finishRun(id, new RunEnd("failed", 0, 0, 0, 0, 0, 0, 0, null, null, "key sk-abcdefghijklmnopqrstuvwx leaked"));

            var run = h.run(id).orElseThrow();
            assertThat(run.prompt()).isEqualTo("prompt with [REDACTED]");
            assertThat(run.messages().getFirst().content()).isEqualTo("Authorization: [REDACTED]");
            assertThat(run.toolCalls().getFirst().arguments()).doesNotContain("super-secret-value");
            assertThat(run.toolCalls().getFirst().result()).startsWith("r".repeat(50)).contains("150 more characters not stored");
            assertThat(run.run().error()).isEqualTo("key [REDACTED] leaked");
        }
    }

    @Test
    void idleFilesCloseAndRepositoryNamesCannotEscapeTheFolder() throws Exception {
        try (HistoryStore.Handle h = store.open("acme/widgets")) {
            h.history().startRun(run(1, "t", "p"));
        }
        Thread.sleep(5);

        assertThat(store.closeIdle()).isEqualTo(1);
        assertThat(store.openFiles()).isZero();
        assertThat(store.fileOf("../../etc/passwd").normalize().startsWith(dir.resolve("repos"))).isTrue();
        assertThat(store.fileOf("..").normalize().startsWith(dir.resolve("repos"))).isTrue();
        assertThat(Files.exists(dir.resolve("repos/acme/widgets.db"))).isTrue();
        assertThat(store.repos()).containsExactly("acme/widgets");
    }
}
