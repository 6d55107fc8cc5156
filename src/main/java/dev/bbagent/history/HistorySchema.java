package dev.bbagent.history;

import java.util.List;

/** Schema of data/repos/&lt;workspace&gt;/&lt;slug&gt;.db. Append versions; never edit a released one. */
final class HistorySchema {

    private HistorySchema() {}

    static final List<String> MIGRATIONS = List.of(
            """
            CREATE TABLE runs (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              job_id INTEGER,
              delivery_id TEXT,
              rule TEXT NOT NULL,
              rule_version TEXT,
              thread TEXT NOT NULL,
              attempt INTEGER NOT NULL DEFAULT 1,
              status TEXT NOT NULL,
              model TEXT,
              api TEXT,
              prompt_tokens INTEGER NOT NULL DEFAULT 0,
              completion_tokens INTEGER NOT NULL DEFAULT 0,
              cached_tokens INTEGER NOT NULL DEFAULT 0,
              cost_usd REAL NOT NULL DEFAULT 0,
              turns INTEGER NOT NULL DEFAULT 0,
              tool_calls INTEGER NOT NULL DEFAULT 0,
              writes INTEGER NOT NULL DEFAULT 0,
              prompt TEXT,
              final_text TEXT,
              partial_reason TEXT,
              error TEXT,
              started_at INTEGER NOT NULL,
              finished_at INTEGER
            );
            CREATE INDEX runs_by_thread ON runs(thread, id);
            CREATE INDEX runs_by_time ON runs(started_at);
            CREATE INDEX runs_by_job ON runs(job_id);
            CREATE TABLE messages (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
              seq INTEGER NOT NULL,
              role TEXT NOT NULL,
              content TEXT,
              tool_calls TEXT,
              tool_call_id TEXT,
              created_at INTEGER NOT NULL
            );
            CREATE INDEX messages_by_run ON messages(run_id, seq);
            CREATE TABLE tool_calls (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
              call_id TEXT,
              server TEXT NOT NULL,
              tool TEXT NOT NULL,
              arguments TEXT,
              result TEXT,
              outcome TEXT NOT NULL,
              decision TEXT,
              read_only INTEGER NOT NULL,
              duration_ms INTEGER NOT NULL,
              created_at INTEGER NOT NULL
            );
            CREATE INDEX tool_calls_by_run ON tool_calls(run_id);
            CREATE INDEX tool_calls_writes ON tool_calls(created_at) WHERE read_only = 0 AND outcome = 'ok';
            """);
}
