package dev.bbagent.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SQLite database file in WAL mode: a one-connection pool for its {@link SqliteWriter} and a small
 * pool of readers. Readers never block the writer and the writer never blocks readers (WAL).
 */
public final class SqliteFile implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SqliteFile.class);

    /** How hard a commit tries to reach the disk. */
    public enum Sync {
        /**
         * fsync the WAL before a commit is reported: survives power loss. The fsync runs on a
         * {@link WalSyncer} thread, so the writer commits the next batch meanwhile.
         */
        FULL,
        /** fsync at checkpoints only: survives a killed process, not a power cut. */
        NORMAL
    }

    private final Path path;
    private final HikariDataSource writePool;
    private final HikariDataSource readPool;
    private final SqliteWriter writer;

    /**
     * Open (creating if needed) and migrate a database file.
     *
     * @param name a short name for threads, pools and metric tags ("main", "repo")
     * @param readers reader connections
     * @param registry where writer metrics go (tagged with {@code name})
     * @param poolMetrics whether to publish HikariCP pool metrics (off for the many per-repository files)
     */
    public SqliteFile(Path path, String name, List<String> migrations, Sync sync, int readers,
            int writeQueueCapacity, MeterRegistry registry, boolean poolMetrics) {
        this.path = path;
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create folder for " + path + ": " + e.getMessage(), e);
        }
        MeterRegistry poolRegistry = poolMetrics ? registry : null;
        this.writePool = pool(path, name + "-write", 1, sync, poolRegistry);
        try (Connection c = writePool.getConnection()) {
            Migrations.apply(c, path.toString(), migrations);
        } catch (SQLException e) {
            writePool.close();
            throw new StoreException("cannot open " + path + ": " + e.getMessage(), e);
        }
        this.readPool = pool(path, name + "-read", readers, sync, poolRegistry);
        this.writer = new SqliteWriter(name, writePool, sync == Sync.FULL ? path.toAbsolutePath() : null,
                writeQueueCapacity, registry);
    }

    private static HikariDataSource pool(Path path, String poolName, int size, Sync sync, MeterRegistry registry) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName(poolName);
        cfg.setJdbcUrl("jdbc:sqlite:" + path.toAbsolutePath());
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(0);
        cfg.setIdleTimeout(60_000);
        cfg.setConnectionTimeout(10_000);
        cfg.addDataSourceProperty("journal_mode", "WAL");
        // FULL is NORMAL plus the writer's WalSyncer, which fsyncs the WAL off the writer thread.
        cfg.addDataSourceProperty("synchronous", Sync.NORMAL.name());
        cfg.addDataSourceProperty("busy_timeout", "10000");
        cfg.addDataSourceProperty("foreign_keys", "true");
        if (registry != null) {
            cfg.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        }
        return new HikariDataSource(cfg);
    }

    public Path path() {
        return path;
    }

    public SqliteWriter writer() {
        return writer;
    }

    /** Connections for reads; never write through these (the writer owns writes). */
    public DataSource readers() {
        return readPool;
    }

    @Override
    public void close() {
        boolean stopped = writer.stop();
        readPool.close();
        if (stopped) {
            writePool.close();
        } else {
            // The writer still holds the pool's connection and may be inside SQLite with it.
            LOG.warn("{}: the writer has not stopped (a stuck disk?); its connection is left for the process "
                    + "exit to release, and SQLite recovers the file from its write-ahead log at the next start",
                    path);
        }
    }
}
