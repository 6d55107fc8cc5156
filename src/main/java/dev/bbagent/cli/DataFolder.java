package dev.bbagent.cli;

import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.SqliteJobStore;
import dev.bbagent.store.SqliteStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The data folder opened by a CLI command, next to (or without) a running server: SQLite's WAL and
 * busy timeout let both write safely; the server picks up changes on its next poll.
 */
final class DataFolder implements AutoCloseable {

    final SqliteStore store;
    final SqliteJobStore jobs;

    private DataFolder(SqliteStore store) {
        this.store = store;
        this.jobs = new SqliteJobStore(store.file());
    }

    static DataFolder open(String flag) {
        Path db = require(flag).resolve("bbagent.db");
        return new DataFolder(new SqliteStore(db, SqliteFile.Sync.FULL, Clock.systemUTC(), new SimpleMeterRegistry()));
    }

    /** The data folder a flag (or BBAGENT_DATA_DIR) names, refused unless {@code bbagent serve} has used it. */
    static Path require(String flag) {
        Path dir = Path.of(Cli.dataDir(flag));
        Path db = dir.resolve("bbagent.db");
        if (!Files.exists(db)) {
            throw new IllegalArgumentException("no bbagent database at " + db + "; point --data-dir (or BBAGENT_DATA_DIR) "
                    + "at the folder `bbagent serve` uses");
        }
        return dir;
    }

    @Override
    public void close() {
        store.close();
    }
}
