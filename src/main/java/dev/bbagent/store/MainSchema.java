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
            """);
}
