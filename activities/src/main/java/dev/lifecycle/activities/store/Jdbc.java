package dev.lifecycle.activities.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.lifecycle.dsl.plan.PlanJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/** Small JDBC helpers shared by the repositories; SQL that behaves alike on H2 and PostgreSQL. */
final class Jdbc {
  /** SQLSTATE of a unique constraint violation, on H2 and PostgreSQL alike. */
  private static final String UNIQUE_VIOLATION = "23505";

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
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

  <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      try (ResultSet rows = statement.executeQuery()) {
        List<T> result = new ArrayList<>();
        while (rows.next()) {
          result.add(mapper.map(rows));
        }
        return result;
      }
    } catch (SQLException e) {
      throw new MetadataStoreException("Metadata query failed: " + firstLine(sql), e);
    }
  }

  <T> Optional<T> queryOne(String sql, Binder binder, RowMapper<T> mapper) {
    List<T> rows = query(sql, binder, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
  }

  /** Runs an update; a unique violation returns {@code -1} instead of failing. */
  int updateUnlessDuplicate(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        return -1;
      }
      throw new MetadataStoreException("Metadata update failed: " + firstLine(sql), e);
    }
  }

  int update(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw new MetadataStoreException("Metadata update failed: " + firstLine(sql), e);
    }
  }

  static void setNullable(PreparedStatement statement, int index, String value)
      throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, value);
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

  /** Waits a little before retrying a lost race, spreading competing writers apart. */
  static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, 2L + Math.min(attempt, 20) * 2L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MetadataStoreException("Interrupted while retrying a metadata write", e);
    }
  }

  /** Now, at the precision both databases keep. */
  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  static String json(Object value) {
    try {
      return PlanJson.lenient().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot write metadata as JSON: " + e.getMessage(), e);
    }
  }

  static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return PlanJson.lenient().readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new MetadataStoreException("Stored metadata is not valid JSON: " + e.getMessage(), e);
    }
  }

  private static String firstLine(String sql) {
    String trimmed = sql.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline) + " ...";
  }
}
