package dev.bbagent.store;

import java.sql.Connection;
import java.sql.SQLException;

/** One unit of work run by a {@link SqliteWriter} inside its batch transaction. */
@FunctionalInterface
public interface SqlOp<T> {
    T apply(Connection connection) throws SQLException;
}
