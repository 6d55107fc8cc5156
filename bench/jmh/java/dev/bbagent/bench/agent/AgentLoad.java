package dev.bbagent.bench.agent;

import dev.bbagent.history.HistoryRecords;
import dev.bbagent.history.Runs;
import dev.bbagent.queue.QueueSettings;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.Job;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The 1,000-runs-in-flight test: {@code runs} jobs queued at once and run by a {@code WorkerPool} with as many
 * workers, against the fake model with a latency on every reply (2 s in bench/agent/run.sh), so every run
 * lasts at least two model latencies and they all overlap. Run it in a JVM with {@code -Xmx512m} (bbagent's
 * default). Reports whether all completed as scripted, the wall time, the most runs in flight at once,
 * peak heap used (sampled every 10 ms from {@link MemoryMXBean}; the GC log gives the before-GC peaks),
 * GC counts and time, peak live threads, and the model-request and tool-call outcomes from bbagent's meters.
 *
 * <p>Usage: {@code AgentLoad llm=SLOW_URL mcp=URL payload=FILE runs=1000 rounds=2}.
 */
public final class AgentLoad {

    private AgentLoad() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int runs = Integer.parseInt(a.getOrDefault("runs", "1000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "2"));
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon(true).name("heap-sampler").start(() -> {
            while (true) {
                peakHeap.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        System.out.println("round\truns\tcompleted_as_scripted\tjobs_succeeded\tother_job_states\twall_s"
                + "\tpeak_in_flight\ts_to_all_in_flight\trun_p50_s\trun_max_s\tllm_p50_s\ttool_p50_s\toverhead_p50_s\tpeak_heap_used_mb\tmax_heap_mb\tgc_count"
                + "\tgc_time_ms\tpeak_threads\tllm_requests_total\ttool_calls_total\thistory_runs_total"
                + "\ttcp_counters_delta_machine_wide\thistory_commits\thistory_ops_per_commit\thistory_writer_busy");
        try (BenchRuntime rt = new BenchRuntime(a.get("llm"), a.get("mcp"), Path.of(a.get("payload")))) {
            if (Boolean.parseBoolean(a.getOrDefault("prewarm_mcp", "false"))) {
                // Diagnostic only: production connects and lists tools on first use, by the first runs.
                log("pre-warm: connecting to the MCP server and listing its tools before the first round");
                rt.servers.source("mcp").orElseThrow().tools();
            }
            for (int round = 1; round <= rounds; round++) {
                List<Long> ids = rt.enqueue("load" + round, runs);
                System.gc();
                peakHeap.set(0);
                ManagementFactory.getThreadMXBean().resetPeakThreadCount();
                long gcCount0 = gcCount();
                long gcTime0 = gcTime();
                BenchRuntime.Timed timed = rt.timed(runs);
                WorkerPool pool = new WorkerPool(rt.jobs, timed, QueueSettings.defaults(runs, 0, "load"),
                        Clock.systemUTC(), rt.registry);
                Map<String, Long> tcp0 = tcpCounters();
                double[] w0 = writer(rt, "history");
                long t0 = System.nanoTime();
                pool.start();
                pool.wake();
                long deadline = t0 + Duration.ofMinutes(15).toNanos();
                while (timed.done.get() < runs && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                pool.awaitIdle(Duration.ofMinutes(1));
                long wall = System.nanoTime() - t0;
                pool.shutdown(Duration.ofSeconds(5));
                Map<String, Long> tcp = tcpCounters();
                double[] w = writer(rt, "history");
                tcp.replaceAll((k, v) -> v - tcp0.getOrDefault(k, 0L));

                Map<String, Integer> states = new TreeMap<>();
                for (long id : ids) {
                    states.merge(rt.jobs.job(id).orElseThrow().state(), 1, Integer::sum);
                }
                int succeeded = states.getOrDefault(Job.SUCCEEDED, 0);
                states.remove(Job.SUCCEEDED);
                List<BenchRuntime.Sample> samples = List.copyOf(timed.samples);
                long ok = samples.stream().filter(BenchRuntime.Sample::ok).count();
                samples.stream().filter(s -> !s.ok()).limit(5).forEach(s -> log("run not as scripted: " + s));
                List<BenchRuntime.Sample> okRuns = samples.stream().filter(BenchRuntime.Sample::ok).toList();
                long[] walls = BenchRuntime.sorted(okRuns, BenchRuntime.Sample::wallNs);
                Map<String, Integer> historyRuns = new TreeMap<>();
                for (HistoryRecords.RunSummary r : new Runs(rt.history).list(null, null, null, 100_000)) {
                    historyRuns.merge(r.status(), 1, Integer::sum);
                }
                System.out.println(String.join("\t", Integer.toString(round), Integer.toString(runs), Long.toString(ok),
                        Integer.toString(succeeded), states.toString(), fmt(wall / 1e9),
                        Integer.toString(timed.peakInFlight.get()),
                        timed.firstAllInFlightNs == 0 ? "never" : fmt((timed.firstAllInFlightNs - t0) / 1e9),
                        fmt(BenchRuntime.pct(walls, 50) / 1e3), fmt(BenchRuntime.pct(walls, 100) / 1e3),
                        fmt(BenchRuntime.pct(BenchRuntime.sorted(okRuns, BenchRuntime.Sample::llmNs), 50) / 1e3),
                        fmt(BenchRuntime.pct(BenchRuntime.sorted(okRuns, BenchRuntime.Sample::toolNs), 50) / 1e3),
                        fmt(BenchRuntime.pct(BenchRuntime.sorted(okRuns, BenchRuntime.Sample::overheadNs), 50) / 1e3),
                        fmt(peakHeap.get() / 1048576.0), fmt(mem.getHeapMemoryUsage().getMax() / 1048576.0),
                        Long.toString(gcCount() - gcCount0), Long.toString(gcTime() - gcTime0),
                        Integer.toString(ManagementFactory.getThreadMXBean().getPeakThreadCount()),
                        counts(rt, "bbagent.llm.requests", "outcome"), counts(rt, "bbagent.tool.calls", "outcome"),
                        historyRuns.toString(), tcp.toString(), fmt(w[0] - w0[0]),
                        fmt((w[2] - w0[2]) / Math.max(1, w[0] - w0[0])), fmt((w[1] - w0[1]) / (wall / 1e9))));
                System.out.flush();
            }
        }
        sampler.interrupt();
    }

    /**
     * Linux TCP counters (machine-wide, so other processes on the machine count too): connections opened,
     * failed connection attempts, resets of established connections, and listen-queue overflows (a server's
     * accept backlog full: the SYN or the handshake's last ACK is dropped and the client retries after 1 s, 3 s...).
     */
    static Map<String, Long> tcpCounters() {
        Map<String, Long> out = new TreeMap<>();
        read(out, "/proc/net/snmp", "Tcp:", List.of("ActiveOpens", "AttemptFails", "EstabResets"));
        read(out, "/proc/net/netstat", "TcpExt:", List.of("ListenOverflows", "ListenDrops"));
        return out;
    }

    private static void read(Map<String, Long> out, String file, String prefix, List<String> names) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(prefix)).toList();
            String[] keys = lines.get(0).split(" ");
            String[] values = lines.get(1).split(" ");
            for (int i = 1; i < keys.length; i++) {
                if (names.contains(keys[i])) {
                    out.put(keys[i], Long.parseLong(values[i]));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: no counters
        }
    }

    /**
     * A group-commit writer's meters so far: commits, seconds spent writing and committing, operations
     * written. For the history files every repository shares the meters (one repository here).
     */
    private static double[] writer(BenchRuntime rt, String db) {
        var t = rt.metrics.registry().find("bbagent.store.commit").tag("db", db).timer();
        var b = rt.metrics.registry().find("bbagent.store.batch.size").tag("db", db).summary();
        return new double[] {t == null ? 0 : t.count(), t == null ? 0 : t.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS) / 1e9,
                b == null ? 0 : b.totalAmount()};
    }

    /** Cumulative counter values by one tag, over the whole process. */
    private static String counts(BenchRuntime rt, String name, String tag) {
        Map<String, Long> out = new TreeMap<>();
        for (Meter m : rt.metrics.registry().find(name).meters()) {
            if (m instanceof Counter c) {
                out.merge(m.getId().getTag(tag), (long) c.count(), Long::sum);
            }
        }
        return out.toString();
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount)
                .sum();
    }

    private static long gcTime() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime)
                .sum();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.2f", d);
    }

    static void log(String msg) {
        System.err.println("[bbagent-load " + java.time.LocalTime.now().withNano(0) + "] " + msg);
    }
}
