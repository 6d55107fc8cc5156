package dev.bbagent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link JobStore} on data/bbagent.db: reads through the reader pool, every change through the writer. */
public final class SqliteJobStore implements JobStore {

    private static final String COLUMNS = "id, delivery_id, rule, rule_version, repo, thread, concurrency_key, state,"
            + " attempts, max_attempts, not_before, lease_owner, lease_expires, last_error, superseded_by, created_at,"
            + " updated_at, started_at, finished_at, result";

    /** A job is ready when it is due, first in its key's queue, and nothing of its key runs. */
    private static final String READY = """
            j.state IN ('queued', 'retrying') AND j.not_before <= ?
              AND NOT EXISTS (SELECT 1 FROM jobs o WHERE o.concurrency_key = j.concurrency_key
                AND o.state IN ('queued', 'retrying', 'running') AND (o.state = 'running' OR o.id < j.id))""";

    private final SqliteFile file;

    public SqliteJobStore(SqliteFile file) {
        this.file = file;
    }

    /**
     * Partial indexes hold only queued and active jobs, so the history never adds to the cost; within the queue,
     * the cost follows the repositories waiting and the jobs read to find their heads.
     */
    @Override
    public List<Candidate> candidates(Instant now, int limit, int perRepo) {
        // Bounded by the repositories with queued jobs and the heads wanted from each, not by the length of the
        // queue: the repositories come from a skip scan of jobs_queued_by_repo, and each one's queued jobs are
        // walked in id order until `perRepo` heads are found. A head is a due job with no earlier active job of
        // its key (a running job always precedes the queued jobs of its key); the claim checks READY again.
        String sql = """
                WITH RECURSIVE repos(repo) AS (
                  SELECT MIN(repo) FROM jobs INDEXED BY jobs_queued_by_repo WHERE state IN ('queued', 'retrying')
                  UNION ALL
                  SELECT (SELECT MIN(q.repo) FROM jobs q INDEXED BY jobs_queued_by_repo
                      WHERE q.state IN ('queued', 'retrying') AND q.repo > repos.repo)
                    FROM repos WHERE repos.repo IS NOT NULL)
                SELECT id, repo, rule, not_before, created_at FROM (
                  SELECT j.id, j.repo, j.rule, j.not_before, j.created_at,
                    ROW_NUMBER() OVER (PARTITION BY j.repo ORDER BY j.id) AS rn
                  FROM repos r JOIN jobs j ON j.id IN (
                    SELECT h.id FROM jobs h INDEXED BY jobs_queued_by_repo
                      WHERE h.state IN ('queued', 'retrying') AND h.repo = r.repo AND h.not_before <= ?
                        AND NOT EXISTS (SELECT 1 FROM jobs o INDEXED BY jobs_active_by_key
                          WHERE o.concurrency_key = h.concurrency_key AND o.id < h.id
                            AND o.state IN ('queued', 'retrying', 'running'))
                      ORDER BY h.id LIMIT ?)
                  WHERE r.repo IS NOT NULL) ranked
                ORDER BY rn, id LIMIT ?""";
        return read(sql, ps -> {
            ps.setLong(1, now.toEpochMilli());
            ps.setInt(2, perRepo);
            ps.setInt(3, limit);
        }, rs -> new Candidate(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                Instant.ofEpochMilli(rs.getLong(5))));
    }

    @Override
    public Map<String, Integer> runningByRepo() {
        Map<String, Integer> out = new HashMap<>();
        read("SELECT repo, COUNT(*) FROM jobs WHERE state = 'running' GROUP BY repo", ps -> { },
                rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    @Override
    public List<Job> claim(List<Long> ids, String owner, Instant now, Duration lease) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return file.writer().call(c -> {
            List<Job> claimed = new ArrayList<>();
            // RETURNING (SQLite 3.35+, PostgreSQL) hands back the claimed row in the same statement.
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = 'running', attempts = attempts + 1,"
                    + " lease_owner = ?, lease_expires = ?, started_at = ?, updated_at = ? WHERE id = ? AND " + READY
                    .replace("j.", "jobs.") + " RETURNING " + COLUMNS)) {
                for (long id : ids) {
                    ps.setString(1, owner);
                    ps.setLong(2, now.plus(lease).toEpochMilli());
                    ps.setLong(3, now.toEpochMilli());
                    ps.setLong(4, now.toEpochMilli());
                    ps.setLong(5, id);
                    ps.setLong(6, now.toEpochMilli());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            claimed.add(row(rs));
                        }
                    }
                }
            }
            return claimed;
        });
    }

    @Override
    public void renewLeases(String owner, Instant expires) {
        file.writer().call(c -> Sql.update(c, "UPDATE jobs SET lease_expires = ? WHERE lease_owner = ? AND state = 'running'",
                expires.toEpochMilli(), owner));
    }

    @Override
    public List<Job> recoverExpired(Instant now) {
        long t = now.toEpochMilli();
        return recover("state = 'running' AND lease_expires < ?", new Object[] {t},
                "the process running it stopped (lease expired) during attempt ", t);
    }

    @Override
    public List<Job> recoverOwnedBy(String ownerPrefix, String owner, Instant now) {
        long t = now.toEpochMilli();
        return recover("state = 'running' AND lease_owner LIKE ? AND lease_owner <> ?", new Object[] {ownerPrefix + "%", owner},
                "the process running it stopped (crash or kill; bbagent restarted) during attempt ", t);
    }

    /**
     * Take back running jobs whose process is gone: each goes back to the queue with its attempt counted, or
     * to dead when that was its last one, so a job that crashes its process cannot run forever. Returns the
     * jobs as they were before (owner, lease, attempt), read and changed in one transaction.
     */
    private List<Job> recover(String where, Object[] args, String error, long t) {
        return file.writer().call(c -> {
            List<Job> taken = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM jobs WHERE " + where + " ORDER BY id")) {
                Sql.bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        taken.add(row(rs));
                    }
                }
            }
            for (Job j : taken) {
                Sql.update(c, """
                        UPDATE jobs SET
                          state = CASE WHEN attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
                          last_error = ? || attempts || ' of ' || max_attempts,
                          finished_at = CASE WHEN attempts >= max_attempts THEN ? ELSE NULL END,
                          lease_owner = NULL, lease_expires = NULL, updated_at = ?
                        WHERE id = ? AND state = 'running' AND lease_owner = ?""", error, t, t, j.id(), j.leaseOwner());
            }
            return taken;
        });
    }

    @Override
    public boolean succeed(long id, String owner, Instant now, String result) {
        long t = now.toEpochMilli();
        return file.writer().call(c -> Sql.update(c, """
                UPDATE jobs SET state = 'succeeded', result = ?, last_error = NULL, lease_owner = NULL, lease_expires = NULL,
                  finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running' AND lease_owner = ?""",
                result, t, t, id, owner)) == 1;
    }

    @Override
    public boolean fail(long id, String owner, Instant now, String error, Instant retryAt, boolean permanent) {
        long t = now.toEpochMilli();
        return file.writer().call(c -> Sql.update(c, """
                UPDATE jobs SET
                  state = CASE WHEN ? = 1 OR attempts >= max_attempts THEN 'dead' ELSE 'retrying' END,
                  finished_at = CASE WHEN ? = 1 OR attempts >= max_attempts THEN ? ELSE NULL END,
                  not_before = ?, last_error = ?, lease_owner = NULL, lease_expires = NULL, updated_at = ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?""",
                permanent ? 1 : 0, permanent ? 1 : 0, t, retryAt.toEpochMilli(), error, t, id, owner)) == 1;
    }

    @Override
    public boolean defer(long id, String owner, Instant now, Instant until, String reason) {
        long t = now.toEpochMilli();
        return file.writer().call(c -> Sql.update(c, """
                UPDATE jobs SET state = 'queued', attempts = MAX(attempts - 1, 0), not_before = ?, result = ?,
                  lease_owner = NULL, lease_expires = NULL, updated_at = ?
                WHERE id = ? AND state = 'running' AND lease_owner = ?""", until.toEpochMilli(), reason, t, id, owner)) == 1;
    }

    @Override
    public Optional<Job> job(long id) {
        List<Job> l = read("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", ps -> ps.setLong(1, id), SqliteJobStore::row);
        return l.stream().findFirst();
    }

    @Override
    public List<Job> jobs(String state, String repo, String rule, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (state != null && !state.isEmpty()) {
            sql.append(" AND state = ?");
            args.add(state);
        }
        if (repo != null && !repo.isEmpty()) {
            sql.append(" AND repo = ?");
            args.add(repo);
        }
        if (rule != null && !rule.isEmpty()) {
            sql.append(" AND rule = ?");
            args.add(rule);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return read(sql.toString(), ps -> Sql.bind(ps, args.toArray()), SqliteJobStore::row);
    }

    @Override
    public List<Job> jobsOfDelivery(String deliveryId) {
        return read("SELECT " + COLUMNS + " FROM jobs WHERE delivery_id = ? ORDER BY id", ps -> ps.setString(1, deliveryId),
                SqliteJobStore::row);
    }

    @Override
    public boolean cancel(long id, Instant now) {
        long t = now.toEpochMilli();
        return file.writer().call(c -> Sql.update(c, """
                UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ?, lease_owner = NULL, lease_expires = NULL,
                  last_error = COALESCE(last_error, 'cancelled by an administrator')
                WHERE id = ? AND state IN ('queued', 'retrying', 'running')""", t, t, id)) == 1;
    }

    @Override
    public boolean retry(long id, Instant now) {
        long t = now.toEpochMilli();
        return file.writer().call(c -> Sql.update(c, """
                UPDATE jobs SET state = 'queued', attempts = 0, not_before = ?, finished_at = NULL, updated_at = ?
                WHERE id = ? AND state IN ('dead', 'cancelled')""", t, t, id)) == 1;
    }

    @Override
    public List<Long> enqueue(String deliveryId, List<NewJob> jobs, Instant now) {
        return file.writer().call(c -> {
            List<Long> ids = new ArrayList<>();
            for (NewJob j : jobs) {
                ids.add(JobRows.enqueue(c, deliveryId, j, now));
            }
            return ids;
        });
    }

    @Override
    public Map<String, Integer> countsByState() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String s : List.of(Job.QUEUED, Job.RUNNING, Job.RETRYING, Job.SUCCEEDED, Job.DEAD, Job.SUPERSEDED, Job.CANCELLED)) {
            out.put(s, 0);
        }
        read("SELECT state, COUNT(*) FROM jobs GROUP BY state", ps -> { }, rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    @Override
    public Map<String, Integer> gaugeCounts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String s : List.of(Job.QUEUED, Job.RUNNING, Job.RETRYING, Job.DEAD)) {
            out.put(s, 0);
        }
        // Each state is a range of the jobs_by_state index, so a long history of succeeded jobs costs
        // nothing at scrape time.
        read("SELECT state, COUNT(*) FROM jobs WHERE state IN ('queued', 'running', 'retrying', 'dead') GROUP BY state",
                ps -> { }, rs -> out.put(rs.getString(1), rs.getInt(2)));
        return out;
    }

    @Override
    public int pruneFinishedBefore(Instant cutoff) {
        return file.writer().call(c -> Sql.update(c, "DELETE FROM jobs WHERE rowid IN (SELECT rowid FROM jobs WHERE"
                + " state IN ('succeeded', 'dead', 'superseded', 'cancelled') AND finished_at < ? LIMIT 2000)",
                cutoff.toEpochMilli()));
    }

    private static Job row(ResultSet rs) throws SQLException {
        return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getString(8), rs.getInt(9), rs.getInt(10), Sql.instant(rs, 11), rs.getString(12),
                Sql.instant(rs, 13), rs.getString(14), Sql.nullableLong(rs, 15), Sql.instant(rs, 16), Sql.instant(rs, 17),
                Sql.instant(rs, 18), Sql.instant(rs, 19), rs.getString(20));
    }

    private <T> List<T> read(String sql, Sql.Binder binder, Sql.Row<T> row) {
        return Sql.query(file.readers(), "reading jobs", sql, binder, row);
    }
}
