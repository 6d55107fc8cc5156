package dev.bbagent.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder written by an older bbagent opens with the current one: its queue keeps working. */
class MainSchemaUpgradeTest {

    @TempDir
    Path dir;

    @Test
    void aVersion2DatabaseGainsTheQueuedByRepoIndexAndKeepsItsQueue() throws Exception {
        Path db = dir.resolve("bbagent.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            Migrations.apply(c, "bbagent.db", MainSchema.MIGRATIONS.subList(0, 2));
            try (Statement st = c.createStatement()) {
                st.execute("""
                        INSERT INTO jobs (delivery_id, rule, rule_version, repo, thread, concurrency_key, supersede_key,
                          state, max_attempts, not_before, created_at, updated_at)
                        VALUES ('d-1', 'review', 'v1', 'acme/w', 'acme/w#pr-1', 'acme/w#pr-1', 'acme/w#pr-1',
                          'queued', 3, 0, 0, 0)""");
            }
        }

        try (SqliteStore store = new SqliteStore(db, SqliteFile.Sync.NORMAL, Clock.systemUTC(), new SimpleMeterRegistry())) {
            SqliteJobStore jobs = new SqliteJobStore(store.file());
            assertThat(jobs.candidates(Instant.now(), 10, 10)).extracting(JobStore.Candidate::repo)
                    .containsExactly("acme/w");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(MainSchema.MIGRATIONS.size());
            }
            try (ResultSet rs = st.executeQuery(
                    "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'jobs_queued_by_repo'")) {
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
        }
    }
}
