package dev.lifecycle.activities.labeling;

import dev.lifecycle.activities.store.MetadataStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** JDBC helpers of the labeling store; SQL that behaves alike on H2 and PostgreSQL. */
final class Sql {
  /** SQLSTATE of a unique constraint violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  /**
   * SQLSTATEs of a lock not obtained: H2's lock timeout, PostgreSQL's lock not available, and a
   * deadlock victim on either (H2 40001, PostgreSQL 40P01).
   */
  private static final java.util.Set<String> LOCK_FAILURES =
      java.util.Set.of("HYT00", "55P03", "40001", "40P01");

  private final DataSource dataSource;

  Sql(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @FunctionalInterface
  interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet row) throws SQLException;
  }

  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    return run(sql, c -> query(c, sql, binder, mapper));
  }

  static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    }
  }

  <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(sql, binder, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  long count(String sql, Binder binder) {
    return queryOne(sql, binder, r -> r.getLong(1)).orElse(0L);
  }

  int update(String sql, Binder binder) {
    return run(sql, c -> update(c, sql, binder));
  }

  static int update(Connection c, String sql, Binder binder) throws SQLException {
    try (PreparedStatement statement = c.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    }
  }

  /** Runs an update; a unique violation returns {@code -1} instead of failing. */
  int updateUnlessDuplicate(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection()) {
      return update(c, sql, binder);
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        return -1;
      }
      throw new MetadataStoreException("Labeling update failed: " + firstLine(sql), e);
    }
  }

  /** Runs {@code work} in one transaction, committed when it returns. */
  <T> T transaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new MetadataStoreException("Labeling store failed to " + what, e);
    }
  }

  private <T> T run(String sql, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new MetadataStoreException("Labeling query failed: " + firstLine(sql), e);
    }
  }

  static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code e} says a row lock was not obtained (the transaction is to be rolled back). */
  static boolean isLockTimeout(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException sql && LOCK_FAILURES.contains(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Now, at the precision both databases keep. */
  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
  }

  static Double nullableDouble(ResultSet row, String column) throws SQLException {
    double value = row.getDouble(column);
    return row.wasNull() ? null : value;
  }

  private static String firstLine(String sql) {
    String trimmed = sql.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline) + " ...";
  }
}
