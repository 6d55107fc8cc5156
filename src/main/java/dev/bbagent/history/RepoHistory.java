package dev.bbagent.history;

import dev.bbagent.history.HistoryRecords.MemoryTurn;
import dev.bbagent.history.HistoryRecords.Message;
import dev.bbagent.history.HistoryRecords.NewRun;
import dev.bbagent.history.HistoryRecords.RunDetail;
import dev.bbagent.history.HistoryRecords.RunEnd;
import dev.bbagent.history.HistoryRecords.RunSummary;
import dev.bbagent.history.HistoryRecords.ToolCall;
import dev.bbagent.store.SqliteFile;
import dev.bbagent.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The history of one repository in its own SQLite file: runs, their messages and tool calls. All writes
 * go through the file's single writer (so concurrent runs never see "database is locked"); every text is
 * redacted before it is written; tool results are truncated to a configured size.
 */
public final class RepoHistory {

    private static final String RUN_COLUMNS = "id, job_id, delivery_id, rule, thread, attempt, status, model,"
            + " prompt_tokens, completion_tokens, cached_tokens, cost_usd, turns, tool_calls, writes, partial_reason,"
            + " error, started_at, finished_at";

    private final String repo;
    private final SqliteFile file;
    private final Redactor redactor;
    private final Clock clock;
    private final int maxResultChars;
    final AtomicInteger users = new AtomicInteger();
    volatile long lastUsed;

    RepoHistory(String repo, SqliteFile file, Redactor redactor, Clock clock, int maxResultChars) {
        this.repo = repo;
        this.file = file;
        this.redactor = redactor;
        this.clock = clock;
        this.maxResultChars = maxResultChars;
        this.lastUsed = System.nanoTime();
    }

    public String repo() {
        return repo;
    }

    public long startRun(NewRun r) {
        long now = clock.millis();
        String prompt = redactor.redact(r.prompt());
        return file.writer().call(c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO runs (job_id, delivery_id, rule, rule_version, thread, attempt, status, model, api, prompt, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                ps.setObject(1, r.jobId());
                ps.setString(2, r.deliveryId());
                ps.setString(3, r.rule());
                ps.setString(4, r.ruleVersion());
                ps.setString(5, r.thread());
                ps.setInt(6, r.attempt());
                ps.setString(7, r.model());
                ps.setString(8, r.api());
                ps.setString(9, prompt);
                ps.setLong(10, now);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    return keys.getLong(1);
                }
            }
        });
    }

    public void message(long runId, Message m) {
        String content = redactor.redact(m.content());
        String calls = redactor.redact(m.toolCalls());
        long at = m.at() == null ? clock.millis() : m.at().toEpochMilli();
        file.writer().call(c -> update(c, "INSERT INTO messages (run_id, seq, role, content, tool_calls, tool_call_id,"
                + " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", runId, m.seq(), m.role(), content, calls, m.toolCallId(), at));
    }

    public void toolCall(long runId, ToolCall t) {
        String args = redactor.redact(t.arguments());
        String result = truncate(redactor.redact(t.result()));
        long at = t.at() == null ? clock.millis() : t.at().toEpochMilli();
        file.writer().call(c -> update(c, "INSERT INTO tool_calls (run_id, call_id, server, tool, arguments, result, outcome,"
                + " decision, read_only, duration_ms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", runId,
                t.callId(), t.server(), t.tool(), args, result, t.outcome(), t.decision(), t.readOnly() ? 1 : 0,
                t.durationMs(), at));
    }

    /** Replace a run's prompt (a chat session's prompt is what the user asked, known only at its end). */
    public void setPrompt(long runId, String prompt) {
        String p = redactor.redact(prompt);
        file.writer().call(c -> update(c, "UPDATE runs SET prompt = ? WHERE id = ?", p, runId));
    }

    public void finishRun(long runId, RunEnd e) {
        long now = clock.millis();
        file.writer().call(c -> update(c, """
                UPDATE runs SET status = ?, prompt_tokens = ?, completion_tokens = ?, cached_tokens = ?, cost_usd = ?,
                  turns = ?, tool_calls = ?, writes = ?, final_text = ?, partial_reason = ?, error = ?, finished_at = ?
                WHERE id = ?""", e.status(), e.promptTokens(), e.completionTokens(), e.cachedTokens(), e.costUsd(),
                e.turns(), e.toolCalls(), e.writes(), redactor.redact(e.finalText()), e.partialReason(),
                redactor.redact(e.error()), now, runId));
    }

    /**
     * Close the runs a job's abandoned attempts left {@code running} (their process stopped: crash, kill):
     * status {@code abandoned}, finished at about when the process stopped. Only runs of attempts up to
     * {@code attempt} that are still running; a run that finished keeps its status.
     *
     * @return how many runs were closed
     */
    public int abandonRuns(long jobId, int attempt, Instant stoppedAbout, String error) {
        // Read first (the reader pool): nearly always there is nothing to close, and the writer stays free.
        List<Integer> open = read("SELECT COUNT(*) FROM runs WHERE job_id = ? AND attempt <= ? AND status = 'running'",
                ps -> {
                    ps.setLong(1, jobId);
                    ps.setInt(2, attempt);
                }, rs -> rs.getInt(1));
        if (open.isEmpty() || open.getFirst() == 0) {
            return 0;
        }
        long now = clock.millis();
        long at = Math.min(now, stoppedAbout.toEpochMilli());
        String e = redactor.redact(error);
        return file.writer().call(c -> update(c, """
                UPDATE runs SET status = 'abandoned', error = ?, finished_at = MAX(started_at, ?)
                WHERE job_id = ? AND attempt <= ? AND status = 'running'""", e, at, jobId, attempt));
    }

    /**
     * Earlier exchanges of a thread, newest first, as long as they fit in {@code tokens} (estimated at
     * four characters a token), returned oldest first so they read as a conversation.
     */
    public List<MemoryTurn> memory(String thread, int tokens, long beforeRunId) {
        List<MemoryTurn> picked = new ArrayList<>();
        int budget = tokens * 4;
        for (MemoryTurn t : read("SELECT id, rule, prompt, final_text, started_at FROM runs WHERE thread = ? AND id < ?"
                + " AND status IN ('completed', 'partial') AND final_text IS NOT NULL ORDER BY id DESC LIMIT 50",
                ps -> {
                    ps.setString(1, thread);
                    ps.setLong(2, beforeRunId);
                }, rs -> new MemoryTurn(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Instant.ofEpochMilli(rs.getLong(5))))) {
            int size = length(t.prompt()) + length(t.answer());
            if (size > budget) {
                break;
            }
            budget -= size;
            picked.addFirst(t);
        }
        return picked;
    }

    /** Write tool calls that succeeded for a thread since an instant (the loop breaker's count). */
    public int writesSince(String thread, Instant since) {
        List<Integer> n = read("SELECT COUNT(*) FROM tool_calls t JOIN runs r ON r.id = t.run_id WHERE r.thread = ?"
                + " AND t.read_only = 0 AND t.outcome = 'ok' AND t.created_at >= ?", ps -> {
                    ps.setString(1, thread);
                    ps.setLong(2, since.toEpochMilli());
                }, rs -> rs.getInt(1));
        return n.isEmpty() ? 0 : n.getFirst();
    }

    /** Write tool calls that succeeded in earlier attempts of a job, oldest first (retries must not repeat them). */
    public List<ToolCall> earlierWrites(long jobId) {
        return read("SELECT t.call_id, t.server, t.tool, t.arguments, t.result, t.outcome, t.decision, t.read_only,"
                + " t.duration_ms, t.created_at FROM tool_calls t JOIN runs r ON r.id = t.run_id WHERE r.job_id = ?"
                + " AND t.read_only = 0 AND t.outcome IN ('ok', 'dry_run') ORDER BY t.id", ps -> ps.setLong(1, jobId),
                RepoHistory::toolCallRow);
    }

    /** Estimated spend of runs started since an instant (the daily budget). */
    public double costSince(Instant since) {
        List<Double> v = read("SELECT COALESCE(SUM(cost_usd), 0) FROM runs WHERE started_at >= ?",
                ps -> ps.setLong(1, since.toEpochMilli()), rs -> rs.getDouble(1));
        return v.isEmpty() ? 0 : v.getFirst();
    }

    public List<RunSummary> runs(String rule, String status, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + RUN_COLUMNS + " FROM runs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (rule != null && !rule.isEmpty()) {
            sql.append(" AND rule = ?");
            args.add(rule);
        }
        if (status != null && !status.isEmpty()) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return read(sql.toString(), ps -> Sql.bind(ps, args.toArray()), this::summary);
    }

    public Optional<RunDetail> run(long id) {
        List<RunSummary> s = read("SELECT " + RUN_COLUMNS + " FROM runs WHERE id = ?", ps -> ps.setLong(1, id), this::summary);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        List<String[]> texts = read("SELECT rule_version, prompt, final_text FROM runs WHERE id = ?", ps -> ps.setLong(1, id),
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        List<Message> messages = read("SELECT seq, role, content, tool_calls, tool_call_id, created_at FROM messages"
                + " WHERE run_id = ? ORDER BY seq, id", ps -> ps.setLong(1, id), rs -> new Message(rs.getInt(1),
                        rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), Instant.ofEpochMilli(rs.getLong(6))));
        List<ToolCall> calls = read("SELECT call_id, server, tool, arguments, result, outcome, decision, read_only,"
                + " duration_ms, created_at FROM tool_calls WHERE run_id = ? ORDER BY id", ps -> ps.setLong(1, id),
                RepoHistory::toolCallRow);
        String[] t = texts.getFirst();
        return Optional.of(new RunDetail(s.getFirst(), t[0], t[1], t[2], messages, calls));
    }

    /** Delete runs that started before the cutoff (their messages and tool calls go with them). */
    public int pruneBefore(Instant cutoff) {
        int total = 0;
        int n;
        do {
            n = file.writer().call(c -> update(c, "DELETE FROM runs WHERE id IN (SELECT id FROM runs WHERE started_at < ?"
                    + " LIMIT 500)", cutoff.toEpochMilli()));
            total += n;
        } while (n == 500);
        return total;
    }

    private RunSummary summary(ResultSet rs) throws SQLException {
        long job = rs.getLong(2);
        Long jobId = rs.wasNull() ? null : job;
        long fin = rs.getLong(19);
        Instant finished = rs.wasNull() ? null : Instant.ofEpochMilli(fin);
        return new RunSummary(repo, rs.getLong(1), jobId, rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
                rs.getString(7), rs.getString(8), rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getDouble(12),
                rs.getInt(13), rs.getInt(14), rs.getInt(15), rs.getString(16), rs.getString(17),
                Instant.ofEpochMilli(rs.getLong(18)), finished);
    }

    private static ToolCall toolCallRow(ResultSet rs) throws SQLException {
        return new ToolCall(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getLong(9), Instant.ofEpochMilli(rs.getLong(10)));
    }

    private String truncate(String s) {
        if (s == null || s.length() <= maxResultChars) {
            return s;
        }
        return s.substring(0, maxResultChars) + "\n[... " + (s.length() - maxResultChars) + " more characters not stored]";
    }

    private static int length(String s) {
        return s == null ? 0 : s.length();
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        return Sql.update(c, sql, args);
    }

    private <T> List<T> read(String sql, Sql.Binder binder, Sql.Row<T> row) {
        return Sql.query(file.readers(), "reading the history of " + repo, sql, binder, row);
    }

    void close() {
        file.close();
    }
}
