package dev.bbagent.store;

import java.util.List;

/** Schema of data/bbagent.db, one entry per version. Append; never edit a released entry. */
final class MainSchema {

    private MainSchema() {}

    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE deliveries (
              id TEXT PRIMARY KEY,
              edition TEXT NOT NULL,
              event_key TEXT NOT NULL,
              kind TEXT NOT NULL,
              repo TEXT NOT NULL,
              thread TEXT NOT NULL,
              status TEXT NOT NULL,
              attempt INTEGER NOT NULL,
              received_at INTEGER NOT NULL,
              headers TEXT NOT NULL,
              payload BLOB NOT NULL,
              payload_encoding TEXT NOT NULL,
              payload_size INTEGER NOT NULL,
              rules TEXT NOT NULL
            );
            CREATE INDEX deliveries_by_time ON deliveries(received_at);
            CREATE INDEX deliveries_by_repo ON deliveries(repo, received_at);
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            """,
            """
            CREATE TABLE rule_versions (
              version TEXT PRIMARY KEY,
              loaded_at INTEGER NOT NULL,
              text TEXT NOT NULL
            );
            CREATE TABLE jobs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              delivery_id TEXT NOT NULL,
              rule TEXT NOT NULL,
              rule_version TEXT NOT NULL,
              repo TEXT NOT NULL,
              thread TEXT NOT NULL,
              concurrency_key TEXT,
              supersede_key TEXT NOT NULL,
              state TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0,
              max_attempts INTEGER NOT NULL,
              not_before INTEGER NOT NULL,
              lease_owner TEXT,
              lease_expires INTEGER,
              last_error TEXT,
              superseded_by INTEGER,
              created_at INTEGER NOT NULL,
              updated_at INTEGER NOT NULL,
              started_at INTEGER,
              finished_at INTEGER,
              result TEXT
            );
            CREATE INDEX jobs_by_delivery ON jobs(delivery_id);
            CREATE INDEX jobs_by_repo ON jobs(repo, state);
            CREATE INDEX jobs_by_state ON jobs(state, not_before);
            CREATE INDEX jobs_active_by_key ON jobs(concurrency_key, id) WHERE state IN ('queued', 'retrying', 'running');
            CREATE INDEX jobs_by_supersede ON jobs(rule, supersede_key, state);
            """,
            // Claims read a few queued jobs per repository instead of every active job (SqliteJobStore.candidates).
            """
            CREATE INDEX jobs_queued_by_repo ON jobs(repo, id) WHERE state IN ('queued', 'retrying');
            """,
            // The same event under another delivery id (a second webhook, a resend) queues no jobs again
            // (SqliteStore.insertOp). Set only on deliveries that queued jobs, so the index stays small.
            """
            ALTER TABLE deliveries ADD COLUMN fingerprint BLOB;
            CREATE INDEX deliveries_by_fingerprint ON deliveries(fingerprint) WHERE fingerprint IS NOT NULL;
            """);
}
