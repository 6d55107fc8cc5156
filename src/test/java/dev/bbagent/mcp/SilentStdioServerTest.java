package dev.bbagent.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stdio servers that start but never say a word (here {@code sleep 600}) must cost bbagent nothing but
 * the wait of the runs that use them: the threads reading their stdout and stderr block for as long as
 * the program lives, and they must not take the virtual-thread carriers that serve HTTP and the jobs.
 */
class SilentStdioServerTest {

    private static final String SLEEP_ARG = "600";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(4);

    @AfterEach
    void noProcessIsLeft() throws InterruptedException {
        List<ProcessHandle> left = Eventually.get(SilentStdioServerTest::sleepers, List::isEmpty);
        left.forEach(ProcessHandle::destroyForcibly);
        assertThat(left).as("sleep processes left behind").isEmpty();
    }

    @Test
    void silentServersDoNotStopOtherVirtualThreadsAndFailWithTheHandshakeTimeout() throws Exception {
        // more than the carriers (one per CPU), as many as in the probe below
        scenario(Math.max(8, 2 * Runtime.getRuntime().availableProcessors() + 2));
    }

    /**
     * The same in a JVM whose virtual-thread scheduler has no spare carriers (maxPoolSize = parallelism),
     * as when the JDK's compensation for blocking file reads is used up or does not happen: a pipe reader
     * that ran on a virtual thread would hold its carrier until the program exits, and the JVM would stop.
     */
    @Test
    void silentServersDoNotStopAJvmWithoutSpareCarriers() throws Exception {
        List<String> command = List.of(TestServers.java(), "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "-Djdk.virtualThreadScheduler.parallelism=2", "-Djdk.virtualThreadScheduler.maxPoolSize=2",
                "-cp", TestServers.classpath(), Probe.class.getName());
        Process probe = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return "reading the probe's output failed: " + e;
            }
        }, r -> Thread.ofPlatform().daemon().name("probe-output").start(r));
        boolean ended = probe.waitFor(CONNECT_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
        if (!ended) {
            probe.descendants().forEach(ProcessHandle::destroyForcibly);
            probe.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String out = output.get(10, TimeUnit.SECONDS);
        assertThat(ended).as("the probe JVM ended (output: %s)", out).isTrue();
        assertThat(probe.exitValue()).as("the probe's exit code (output: %s)", out).isZero();
        assertThat(out).contains("PROBE OK");
    }

    /** Runs {@link #scenario} in a JVM of its own; exit code 0 and "PROBE OK" when it passes. */
    public static final class Probe {
        public static void main(String[] args) {
            int code = 0;
            try {
                scenario(8);
                System.out.println("PROBE OK");
            } catch (Throwable t) {
                t.printStackTrace(System.out);
                code = 1;
            }
            System.out.flush();
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            Runtime.getRuntime().halt(code);
        }
    }

    /**
     * Starts {@code servers} silent stdio servers at once, each from a virtual thread like a job's run,
     * checks that a trivial virtual thread still runs within 1 s while they are waited for, and that each
     * attempt fails with the handshake timeout and stops its program.
     */
    static void scenario(int servers) throws Exception {
        McpToolSource.Options options = TestServers.options(new MutableClock()).withConnectTimeout(CONNECT_TIMEOUT);
        List<McpToolSource> sources = new ArrayList<>();
        try {
            List<CompletableFuture<Throwable>> attempts = new ArrayList<>();
            for (int i = 0; i < servers; i++) {
                McpToolSource s = McpToolSource.of("silent" + i, TestServers.command("sleep", SLEEP_ARG), options);
                sources.add(s);
                CompletableFuture<Throwable> failure = new CompletableFuture<>();
                Thread.ofVirtual().name("run-" + i).start(() -> {
                    try {
                        s.tools();
                        failure.complete(null);
                    } catch (Throwable t) {
                        failure.complete(t);
                    }
                });
                attempts.add(failure);
            }
            long started = System.nanoTime();
            List<ProcessHandle> running = Eventually.get(SilentStdioServerTest::sleepers, l -> l.size() == servers);
            assertThat(running).as("every server started").hasSize(servers);

            // While every server is silent, other virtual threads (HTTP requests, other jobs) still run promptly.
            int checks = 0;
            while (checks == 0 || System.nanoTime() - started < CONNECT_TIMEOUT.toNanos() - 1_000_000_000L) {
                assertThat(aTrivialVirtualThreadTask()).as("a virtual thread ran within 1 s (check %d)", checks)
                        .isTrue();
                checks++;
                Thread.sleep(200);
            }

            for (CompletableFuture<Throwable> attempt : attempts) {
                Throwable failure = attempt.get(CONNECT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                assertThat(failure).isInstanceOf(ToolSourceUnavailableException.class)
                        .hasMessageContaining("command 'sleep' did not answer the MCP handshake within 4s");
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CONNECT_TIMEOUT.plusSeconds(8));
            assertThat(Eventually.get(SilentStdioServerTest::sleepers, List::isEmpty))
                    .as("a failed attempt stops its program").isEmpty();
        } finally {
            sources.forEach(McpToolSource::close);
        }
    }

    private static List<ProcessHandle> sleepers() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("sleep")
                        && p.info().arguments().map(a -> a.length == 1 && a[0].equals(SLEEP_ARG)).orElse(false))
                .toList();
    }

    private static boolean aTrivialVirtualThreadTask() throws Exception {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> done.complete(1 + 1));
        try {
            return done.get(1, TimeUnit.SECONDS) == 2;
        } catch (TimeoutException e) {
            return false;
        }
    }
}
