package dev.bbagent.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Schema versions for a SQLite file, tracked in {@code PRAGMA user_version}. Each script runs once, in
 * order, in its own transaction. A file written by a newer bbagent is refused rather than damaged.
 */
public final class Migrations {

    private Migrations() {}

    public static void apply(Connection c, String file, List<String> scripts) throws SQLException {
        int current;
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            current = rs.next() ? rs.getInt(1) : 0;
        }
        if (current > scripts.size()) {
            throw new SQLException(file + " has schema version " + current + " but this bbagent knows only "
                    + scripts.size() + "; run a newer bbagent or restore a backup");
        }
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement st = c.createStatement()) {
            for (int v = current; v < scripts.size(); v++) {
                for (String sql : scripts.get(v).split(";\\s*\\n")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
                st.execute("PRAGMA user_version = " + (v + 1));
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("migrating " + file + " failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(auto);
        }
    }
}
