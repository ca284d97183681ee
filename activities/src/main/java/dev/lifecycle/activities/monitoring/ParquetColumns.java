package dev.lifecycle.activities.monitoring;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the columns of one Parquet file through an in-memory DuckDB, closed with this object.
 * Numeric features are read with {@code TRY_CAST(... AS DOUBLE)} so that text in a numeric column
 * is counted as a type mismatch rather than failing the read.
 */
final class ParquetColumns implements AutoCloseable {
  private final Path file;
  private final Connection db;
  private final String relation;
  private final Map<String, String> types = new LinkedHashMap<>();
  private final long rows;

  ParquetColumns(Path file, String role) {
    this.file = file;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "The " + role + " Parquet file '" + file + "' does not exist or is not a file");
    }
    this.relation = "read_parquet('" + file.toString().replace("'", "''") + "')";
    try {
      this.db = DriverManager.getConnection("jdbc:duckdb:");
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open an in-memory DuckDB: " + e.getMessage(), e);
    }
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("DESCRIBE SELECT * FROM " + relation)) {
      while (r.next()) {
        types.put(r.getString("column_name"), r.getString("column_type"));
      }
      try (ResultSet c = s.executeQuery("SELECT COUNT(*) FROM " + relation)) {
        c.next();
        this.rows = c.getLong(1);
      }
    } catch (SQLException e) {
      close();
      throw new IllegalArgumentException(
          "Cannot read the " + role + " Parquet file '" + file + "': " + firstLine(e), e);
    }
  }

  /** Column names and DuckDB types, in file order. */
  Map<String, String> types() {
    return types;
  }

  long rows() {
    return rows;
  }

  /** The Parquet file. */
  Path file() {
    return file;
  }

  /** The monitoring kind of a DuckDB type, or null if it is neither numbers nor categories. */
  static FeatureKind kindOf(String type) {
    String t = type.toUpperCase(Locale.ROOT);
    if (t.startsWith("DECIMAL")) {
      return FeatureKind.NUMERIC;
    }
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
          FeatureKind.NUMERIC;
      case "VARCHAR", "BOOLEAN" -> FeatureKind.CATEGORICAL;
      default -> t.startsWith("ENUM") ? FeatureKind.CATEGORICAL : null;
    };
  }

  /** Reads column {@code name} as {@code kind}. */
  ColumnValues read(String name, FeatureKind kind) {
    String type = types.get(name);
    String col = "\"" + name.replace("\"", "\"\"") + "\"";
    String sql =
        kind == FeatureKind.NUMERIC
            ? "SELECT TRY_CAST("
                + col
                + " AS DOUBLE), "
                + col
                + " IS NOT NULL, CAST("
                + col
                + " AS VARCHAR) FROM "
                + relation
            : "SELECT CAST(" + col + " AS VARCHAR) FROM " + relation;
    int n = Math.toIntExact(rows);
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      if (kind == FeatureKind.NUMERIC) {
        double[] values = new double[n];
        long mismatches = 0;
        String example = null;
        int i = 0;
        while (r.next()) {
          double v = r.getDouble(1);
          boolean castFailed = r.wasNull();
          if (castFailed && r.getBoolean(2)) {
            mismatches++;
            if (example == null) {
              example = r.getString(3);
            }
          }
          values[i++] = castFailed ? Double.NaN : v;
        }
        return new ColumnValues(name, type, kindOf(type), values, null, mismatches, example);
      }
      String[] values = new String[n];
      int i = 0;
      while (r.next()) {
        values[i++] = r.getString(1);
      }
      return new ColumnValues(name, type, kindOf(type), null, values, 0, null);
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "Cannot read column '" + name + "' of '" + file + "': " + firstLine(e), e);
    }
  }

  static String firstLine(SQLException e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage().strip();
    List<String> lines = new ArrayList<>(m.lines().toList());
    return lines.isEmpty() ? m : lines.get(0);
  }

  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close DuckDB: " + e.getMessage(), e);
    }
  }
}
