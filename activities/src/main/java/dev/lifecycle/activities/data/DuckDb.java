package dev.lifecycle.activities.data;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.DatasetColumn;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB plumbing for the data steps: an in-memory database per call, quoting, and Parquet output
 * written the same way every time.
 */
final class DuckDb {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDb.class);

  private DuckDb() {}

  /**
   * A new in-memory DuckDB that spills to {@code scratch} rather than failing on data larger than
   * memory, and keeps rows in insertion order (the Parquet it writes depends on that order).
   */
  static Connection open(Path scratch) throws SQLException {
    Connection connection = DriverManager.getConnection("jdbc:duckdb:");
    try {
      execute(connection, "SET temp_directory = " + literal(scratch.resolve("duckdb").toString()));
      execute(connection, "SET preserve_insertion_order = true");
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /**
   * Runs a statement on a statement object of its own: DuckDB's JDBC driver closes a statement
   * whose execution failed.
   */
  static void execute(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  static long count(Connection connection, String relation) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM " + relation)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The columns of {@code relation} (a table name or a table function call), in order. */
  static List<DatasetColumn> describe(Connection connection, String relation) throws SQLException {
    List<DatasetColumn> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (rows.next()) {
        columns.add(
            new DatasetColumn(rows.getString("column_name"), rows.getString("column_type")));
      }
    }
    return columns;
  }

  /**
   * Writes the result of {@code query} as Parquet. Compression and row group size are spelled out
   * so that a change of DuckDB's defaults cannot change the bytes (and so the sha256) of a dataset;
   * with insertion order preserved, the same input gives the same file whatever the thread count.
   */
  static void toParquet(Connection connection, String query, Path file) throws SQLException {
    execute(
        connection,
        "COPY ("
            + query
            + ") TO "
            + literal(file.toString())
            + " (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE 122880)");
  }

  static String readParquet(Path file) {
    return "read_parquet(" + literal(file.toString()) + ")";
  }

  /** A quoted identifier. */
  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /** A quoted string literal. */
  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A DOUBLE literal that DuckDB parses to exactly {@code value}. */
  static String doubleLiteral(double value) {
    return "CAST(" + literal(Double.toString(value)) + " AS DOUBLE)";
  }

  /** Whether a DuckDB type holds numbers that convert to DOUBLE. */
  static boolean isNumeric(String type) {
    String t = type.toUpperCase(java.util.Locale.ROOT);
    return switch (t) {
      case "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT",
          "UHUGEINT",
          "FLOAT",
          "DOUBLE" ->
          true;
      default -> t.startsWith("DECIMAL");
    };
  }

  /**
   * What DuckDB says went wrong, without its advice on reader options the user cannot set here and
   * without the scratch paths it mentions: e.g. {@code CSV Error on Line: 4; Original Line: 5,6,7;
   * Expected Number of Columns: 2 Found: 3}.
   */
  static String reason(SQLException e, Path scratchFile, String shownAs) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    List<String> lines = new ArrayList<>();
    for (String line : message.strip().lines().toList()) {
      String trimmed = line.strip();
      if (trimmed.isEmpty()
          || trimmed.startsWith("Possible ")
          || trimmed.startsWith("LINE ")
          || trimmed.startsWith("The search space used was")) {
        break;
      }
      lines.add(trimmed.replaceFirst("^[A-Za-z ]+ Error: ", ""));
    }
    String reason = String.join("; ", lines).replace(scratchFile.toString(), shownAs);
    return reason.length() > 500 ? reason.substring(0, 500) + "..." : reason;
  }

  /** Deletes a scratch directory, best effort; see {@link ArtifactStore#discard}. */
  static void deleteQuietly(Path path) {
    ArtifactStore.discard(path);
  }
}
