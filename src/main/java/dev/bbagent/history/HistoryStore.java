package dev.bbagent.history;

import dev.bbagent.store.SqliteFile;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-repository history files under {@code data/repos/<workspace>/<slug>.db}. Files open on first
 * use, each with one writer and a small reader pool, and close again when idle, so a thousand
 * repositories do not hold a thousand open pools.
 */
public final class HistoryStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryStore.class);

    private final Path root;
    private final Redactor redactor;
    private final Clock clock;
    private final MeterRegistry registry;
    private final int maxResultChars;
    private final Duration idle;
    private final Map<String, RepoHistory> open = new ConcurrentHashMap<>();

    /** A history file in use; closing the handle lets the file close when idle. */
    public final class Handle implements AutoCloseable {
        private final RepoHistory history;
        private boolean closed;

        private Handle(RepoHistory history) {
            this.history = history;
        }

        public RepoHistory history() {
            return history;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                history.lastUsed = System.nanoTime();
                history.users.decrementAndGet();
            }
        }
    }

    public HistoryStore(Path dataDir, Redactor redactor, Clock clock, MeterRegistry registry, int maxResultChars,
            Duration idle) {
        this.root = dataDir.resolve("repos");
        this.redactor = redactor;
        this.clock = clock;
        this.registry = registry;
        this.maxResultChars = maxResultChars;
        this.idle = idle;
        Gauge.builder("bbagent.history.open.files", open, Map::size)
                .description("Per-repository history files open now").register(registry);
    }

    /** Open (creating if needed) the history of {@code workspace/slug}. */
    public synchronized Handle open(String repo) {
        RepoHistory h = open.computeIfAbsent(repo, this::create);
        h.users.incrementAndGet();
        return new Handle(h);
    }

    private RepoHistory create(String repo) {
        Path file = fileOf(repo);
        SqliteFile f = new SqliteFile(file, "history", HistorySchema.MIGRATIONS, SqliteFile.Sync.NORMAL, 2, 5_000,
                registry, false);
        return new RepoHistory(repo, f, redactor, clock, maxResultChars);
    }

    /** The file of a repository; names are reduced to safe characters so an event cannot point outside. */
    public Path fileOf(String repo) {
        int slash = repo.indexOf('/');
        String ws = slash > 0 ? repo.substring(0, slash) : "_";
        String slug = slash > 0 ? repo.substring(slash + 1) : repo;
        return root.resolve(safe(ws)).resolve(safe(slug) + ".db");
    }

    static String safe(String part) {
        String s = part.replaceAll("[^A-Za-z0-9._~-]", "_");
        if (s.isEmpty() || s.chars().allMatch(ch -> ch == '.')) {
            s = "_" + s;
        }
        return s;
    }

    /** Every repository with a history file, as {@code workspace/slug}. */
    public List<String> repos() {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return out;
        }
        try (Stream<Path> files = Files.walk(root, 2)) {
            files.filter(p -> p.toString().endsWith(".db")).sorted().forEach(p -> {
                String slug = p.getFileName().toString();
                out.add(p.getParent().getFileName() + "/" + slug.substring(0, slug.length() - 3));
            });
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", root, e.getMessage());
        }
        return out;
    }

    /** Close files nobody used for the idle time. Returns how many closed. */
    public synchronized int closeIdle() {
        long cutoff = System.nanoTime() - idle.toNanos();
        int n = 0;
        for (var e : List.copyOf(open.entrySet())) {
            RepoHistory h = e.getValue();
            if (h.users.get() == 0 && h.lastUsed < cutoff) {
                open.remove(e.getKey());
                h.close();
                n++;
            }
        }
        return n;
    }

    /** Delete runs older than the cutoff in every repository's history. */
    public int pruneBefore(Instant cutoff) {
        int total = 0;
        for (String repo : repos()) {
            try (Handle h = open(repo)) {
                total += h.history().pruneBefore(cutoff);
            }
        }
        return total;
    }

    public int openFiles() {
        return open.size();
    }

    @Override
    public synchronized void close() {
        open.values().forEach(RepoHistory::close);
        open.clear();
    }
}
