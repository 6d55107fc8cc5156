package dev.bbagent.bench;

import dev.bbagent.store.Payloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The intake's per-delivery work on the request thread before the store: the same-event fingerprint (SHA-256 of
 * the event key and body, only for deliveries that queue jobs) beside the payload compression every delivery
 * pays, on the intake benchmark's real 6.5 KB Cloud payload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class FingerprintBenchmark {

    byte[] body;

    @Setup
    public void setup() throws Exception {
        body = Files.readAllBytes(Path.of("bench/intake/payload/pullrequest-fulfilled.json"));
    }

    @Benchmark
    public byte[] fingerprint() {
        return Payloads.fingerprint("pullrequest:fulfilled", body);
    }

    @Benchmark
    public byte[] compress() {
        return Payloads.compress(body);
    }
}
