package dev.bbagent.bench.agent;

import dev.bbagent.queue.JobContext;
import dev.bbagent.queue.QueueSettings;
import dev.bbagent.queue.WorkerPool;
import dev.bbagent.store.Job;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * bbagent's side of the agent-runtime benchmark: runs of the two-turn script (model asks for one MCP
 * {@code echo} call, then answers) through the real agent runtime (see {@link BenchRuntime}), at each
 * concurrency, in two modes:
 *
 * <ul>
 *   <li>{@code direct}: the jobs are stored and claimed first; then {@code concurrency} virtual threads call
 *       {@code AgentRunner.handle} for them back to back. Runs/s = runs / wall time of the batch.
 *   <li>{@code pool}: the jobs are stored; then a {@code WorkerPool} with {@code concurrency} workers claims,
 *       runs and completes them (durable claim and completion in SQLite, synchronous=FULL, as in production).
 *       Runs/s = runs / time from starting the pool until it is idle with every job succeeded.
 * </ul>
 *
 * A plain main, not JMH: a run is a few milliseconds of I/O-bound work against servers in another process,
 * and what matters is the batch's wall time and the per-run distribution. Usage (see bench/agent/run.sh):
 * {@code AgentBench llm=URL mcp=URL payload=FILE runs=500 warmup=300 concurrency=1,4 modes=direct,pool}.
 * Prints one tab-separated line per configuration on stdout (header first).
 */
public final class AgentBench {

    static final String HEADER = "system\tmode\tconcurrency\truns\terrors\twall_s\truns_per_s\trun_p50_ms\trun_p99_ms"
            + "\tllm_p50_ms\ttool_p50_ms\toverhead_p50_ms\toverhead_p99_ms\toverhead_mean_ms\tclient_cpu_ms_per_run"
            + "\tservers_cpu_ms_per_run\tother_cores\ttcp_opens_per_run\tattempt";

    private AgentBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        int runs = Integer.parseInt(a.getOrDefault("runs", "500"));
        int warmup = Integer.parseInt(a.getOrDefault("warmup", "300"));
        List<Integer> concurrencies = new ArrayList<>();
        for (String c : a.getOrDefault("concurrency", "1,4").split(",")) {
            concurrencies.add(Integer.parseInt(c.trim()));
        }
        List<String> modes = List.of(a.getOrDefault("modes", "direct,pool").split(","));
        String label = a.getOrDefault("label", "bbagent");
        serversPid = Long.parseLong(a.getOrDefault("servers_pid", "0"));
        double noiseMax = Double.parseDouble(a.getOrDefault("noise_max", "0.3"));
        int attempts = Integer.parseInt(a.getOrDefault("attempts", "3"));

        try (BenchRuntime rt = new BenchRuntime(a.get("llm"), a.get("mcp"), Path.of(a.get("payload")))) {
            log("warm-up: " + warmup + " runs, direct, concurrency 4");
            direct(rt, "warm", 4, warmup);
            log("warm-up done; the JIT compilers have worked " + jitMs() + " ms so far");
            System.out.println(HEADER);
            for (String mode : modes) {
                for (int c : concurrencies) {
                    int w = Math.max(50, warmup / 4);
                    Result r = null;
                    int attempt = 0;
                    while (attempt < attempts && (r == null || r.otherCores() > noiseMax)) {
                        if (r != null) {
                            log(String.format(Locale.ROOT, "%s c=%d: other processes used %.2f cores; measuring again",
                                    mode, c, r.otherCores()));
                        }
                        attempt++;
                        waitQuiet(noiseMax);
                        run(rt, mode, c, w);
                        long jit = jitMs();
                        r = run(rt, mode, c, runs);
                        jit = jitMs() - jit;
                        log(String.format(Locale.ROOT, "%s c=%d: the JIT compilers worked %d ms during the batch", mode,
                                c, jit));
                    }
                    String line = String.join("\t", label, mode, Integer.toString(c), r.line(),
                            Integer.toString(attempt));
                    System.out.println(line);
                    System.out.flush();
                    log(mode + " c=" + c + ": " + r.line().replace('\t', ' '));
                }
            }
        }
    }

    /** Time the JIT compilers have spent compiling so far, in milliseconds (-1 when the JVM does not say). */
    static long jitMs() {
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** This process's CPU time (all threads), in nanoseconds. */
    static long cpuNs() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** CPU time of another process (user + system, from /proc), in nanoseconds; -1 when unknown. */
    static long cpuNsOf(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1_000_000_000L / 100; // USER_HZ is 100 on Linux
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    static long serversPid;

    /**
     * CPU time (utime + stime, in ticks) of every user-space process but this one and the servers, by pid, from
     * /proc/[pid]/stat; kernel threads left out. Empty when /proc cannot be read.
     */
    static Map<Long, Long> othersTicks() {
        long self = ProcessHandle.current().pid();
        Map<Long, Long> out = new HashMap<>();
        try (var dirs = java.nio.file.Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                long pid = Long.parseLong(d.getFileName().toString());
                if (pid == self || pid == serversPid || pid == 2) {
                    continue;
                }
                try {
                    String stat = java.nio.file.Files.readString(d.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!f[1].equals("2")) { // ppid 2: a kernel thread
                        out.put(pid, Long.parseLong(f[11]) + Long.parseLong(f[12]));
                    }
                } catch (java.io.IOException | RuntimeException e) {
                    // gone
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return Map.of();
        }
        return out;
    }

    /**
     * CPU used between two {@link #othersTicks} readings, in ns: per process, new processes from zero; processes
     * that exited in between are missed, so it is a lower bound. -1 when unknown.
     */
    static long othersNs(Map<Long, Long> before, Map<Long, Long> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return -1;
        }
        long ticks = 0;
        for (var e : after.entrySet()) {
            ticks += Math.max(0, e.getValue() - before.getOrDefault(e.getKey(), 0L));
        }
        return ticks * 1_000_000_000L / 100;
    }

    /** TCP connections opened on the machine so far (Tcp ActiveOpens); -1 when unknown. */
    static long tcpOpens() {
        return AgentLoad.tcpCounters().getOrDefault("ActiveOpens", -1L);
    }

    /** Waits (up to 5 minutes) until other processes use at most {@code max} cores over 2 s. */
    static void waitQuiet(double max) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (System.nanoTime() < deadline) {
            Map<Long, Long> o0 = othersTicks();
            long t0 = System.nanoTime();
            Thread.sleep(2000);
            long o = othersNs(o0, othersTicks());
            double used = o / (double) (System.nanoTime() - t0);
            if (o < 0 || used <= max) {
                return;
            }
            log(String.format(Locale.ROOT, "other processes use %.2f cores; waiting", used));
        }
    }

    /** Counters read before a batch; {@link #end} turns them into a result. */
    record Meter(long t0, long cpu0, long servers0, Map<Long, Long> others0, long tcp0) {
        static Meter start() {
            return new Meter(0, cpuNs(), cpuNsOf(serversPid), othersTicks(), tcpOpens()).started();
        }

        private Meter started() {
            return new Meter(System.nanoTime(), cpu0, servers0, others0, tcp0);
        }

        Result end(List<BenchRuntime.Sample> samples) {
            long wall = System.nanoTime() - t0;
            long cpu = cpuNs() - cpu0;
            long servers = servers0 < 0 ? -1 : cpuNsOf(serversPid) - servers0;
            long others = othersNs(others0, othersTicks());
            double other = others < 0 ? Double.NaN : others / (double) wall;
            long tcp = tcp0 < 0 ? -1 : tcpOpens() - tcp0;
            return new Result(samples, wall, cpu, servers, other, tcp);
        }
    }

    record Result(List<BenchRuntime.Sample> samples, long wallNs, long cpuNs, long serversCpuNs, double otherCores,
            long tcpOpens) {
        String line() {
            long errors = samples.stream().filter(s -> !s.ok()).count();
            double wallS = wallNs / 1e9;
            long[] run = BenchRuntime.sorted(samples, BenchRuntime.Sample::wallNs);
            long[] llm = BenchRuntime.sorted(samples, BenchRuntime.Sample::llmNs);
            long[] tool = BenchRuntime.sorted(samples, BenchRuntime.Sample::toolNs);
            long[] over = BenchRuntime.sorted(samples, BenchRuntime.Sample::overheadNs);
            return String.format(Locale.ROOT, "%d\t%d\t%.3f\t%.1f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f",
                    samples.size(), errors, wallS, samples.size() / wallS, BenchRuntime.pct(run, 50),
                    BenchRuntime.pct(run, 99), BenchRuntime.pct(llm, 50), BenchRuntime.pct(tool, 50),
                    BenchRuntime.pct(over, 50), BenchRuntime.pct(over, 99),
                    BenchRuntime.mean(samples, BenchRuntime.Sample::overheadNs), cpuNs / 1e6 / samples.size(),
                    serversCpuNs < 0 ? Double.NaN : serversCpuNs / 1e6 / samples.size(), otherCores,
                    tcpOpens < 0 ? Double.NaN : tcpOpens / (double) samples.size());
        }
    }

    static Result run(BenchRuntime rt, String mode, int c, int n) throws Exception {
        Result r = switch (mode) {
            case "direct" -> direct(rt, mode + c, c, n);
            case "pool" -> pool(rt, mode + c, c, n);
            default -> throw new IllegalArgumentException("mode " + mode);
        };
        r.samples().stream().filter(s -> !s.ok()).limit(3).forEach(s -> log("run not as scripted: " + s));
        return r;
    }

    /** Claimed jobs, handed to the agent runner by {@code c} virtual threads. */
    static Result direct(BenchRuntime rt, String tag, int c, int n) throws Exception {
        List<Long> ids = rt.enqueue(tag, n);
        String owner = "direct-bench";
        List<Job> claimed = rt.jobs.claim(ids, owner, Instant.now(), Duration.ofHours(1));
        if (claimed.size() != n) {
            throw new IllegalStateException("claimed " + claimed.size() + " of " + n);
        }
        ConcurrentLinkedQueue<Job> queue = new ConcurrentLinkedQueue<>(claimed);
        BenchRuntime.Timed timed = rt.timed(0);
        Meter meter = Meter.start();
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> fs = new ArrayList<>();
            for (int k = 0; k < c; k++) {
                fs.add(ex.submit(() -> {
                    for (Job j = queue.poll(); j != null; j = queue.poll()) {
                        timed.handle(new JobContext(j, () -> false));
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        }
        Result result = meter.end(List.copyOf(timed.samples));
        for (Job j : claimed) { // outside the measurement: the pool would record this
            rt.jobs.succeed(j.id(), owner, Instant.now(), "bench");
        }
        return result;
    }

    /** Queued jobs, run by a worker pool of {@code c} workers as in production. */
    static Result pool(BenchRuntime rt, String tag, int c, int n) throws Exception {
        List<Long> ids = rt.enqueue(tag, n);
        BenchRuntime.Timed timed = rt.timed(0);
        WorkerPool pool = new WorkerPool(rt.jobs, timed, QueueSettings.defaults(c, 0, "bench"), Clock.systemUTC(),
                rt.registry);
        Meter meter = Meter.start();
        pool.start();
        pool.wake();
        while (timed.done.get() < n) {
            Thread.sleep(1);
        }
        pool.awaitIdle(Duration.ofMinutes(1));
        Result result = meter.end(List.copyOf(timed.samples));
        pool.shutdown(Duration.ofSeconds(5));
        long succeeded = ids.stream().map(id -> rt.jobs.job(id).orElseThrow().state())
                .filter(Job.SUCCEEDED::equals).count();
        if (succeeded != n) {
            log("pool: only " + succeeded + " of " + n + " jobs succeeded");
        }
        return result;
    }

    static void log(String msg) {
        System.err.println("[bbagent-bench " + java.time.LocalTime.now().withNano(0) + "] " + msg);
    }
}
