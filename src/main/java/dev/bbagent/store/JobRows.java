package dev.bbagent.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/** SQL that queues jobs; runs inside the writer's transaction. Portable SQL only (see DeliveryStore). */
final class JobRows {

    private JobRows() {}

    /** Insert a queued job, supersede older queued ones for the same rule and key, and push back debounced ones. */
    static long enqueue(Connection c, String deliveryId, NewJob job, Instant now) throws SQLException {
        long notBefore = now.plus(job.debounce()).toEpochMilli();
        long id;
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO jobs (delivery_id, rule, rule_version, repo, thread, concurrency_key, supersede_key, state,
                  attempts, max_attempts, not_before, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, deliveryId);
            ps.setString(2, job.rule());
            ps.setString(3, job.ruleVersion());
            ps.setString(4, job.repo());
            ps.setString(5, job.thread());
            ps.setString(6, job.concurrencyKey());
            ps.setString(7, job.supersedeKey());
            ps.setInt(8, job.maxAttempts());
            ps.setLong(9, notBefore);
            ps.setLong(10, now.toEpochMilli());
            ps.setLong(11, now.toEpochMilli());
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        if (job.supersede()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET state = 'superseded', superseded_by = ?, updated_at = ?, finished_at = ?
                    WHERE rule = ? AND supersede_key = ? AND state IN ('queued', 'retrying') AND id <> ?""")) {
                ps.setLong(1, id);
                ps.setLong(2, now.toEpochMilli());
                ps.setLong(3, now.toEpochMilli());
                ps.setString(4, job.rule());
                ps.setString(5, job.supersedeKey());
                ps.setLong(6, id);
                ps.executeUpdate();
            }
        } else if (!job.debounce().isZero()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE jobs SET not_before = ?, updated_at = ?
                    WHERE rule = ? AND supersede_key = ? AND state = 'queued' AND not_before < ? AND id <> ?""")) {
                ps.setLong(1, notBefore);
                ps.setLong(2, now.toEpochMilli());
                ps.setString(3, job.rule());
                ps.setString(4, job.supersedeKey());
                ps.setLong(5, notBefore);
                ps.setLong(6, id);
                ps.executeUpdate();
            }
        }
        return id;
    }

    static void saveRuleVersion(Connection c, String version, String text, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO rule_versions (version, loaded_at, text) VALUES (?, ?, ?) ON CONFLICT(version) DO NOTHING")) {
            ps.setString(1, version);
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, text);
            ps.executeUpdate();
        }
    }
}
