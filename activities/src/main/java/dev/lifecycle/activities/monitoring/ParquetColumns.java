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
 *
 * <p>An image dataset (a BLOB column {@value #IMAGE} of 8-bit pixels, as image ingests and the
 * capture of image endpoints write it) also has two derived numeric columns, so that image inputs
 * can be watched like any feature: {@value #PIXEL_MEAN}, each image's mean intensity, and {@value
 * #PIXEL_STD}, the standard deviation of its intensities (its contrast), both on pixels scaled to
 * [0, 1]. A real column of either name wins over the derived one.
 */
final class ParquetColumns implements AutoCloseable {
  /** The BLOB column of an image dataset's pixels. */
  static final String IMAGE = "image";

  /** The derived column of an image's mean pixel intensity in [0, 1]. */
  static final String PIXEL_MEAN = "pixel_mean";

  /** The derived column of the standard deviation of an image's pixel intensities in [0, 1]. */
  static final String PIXEL_STD = "pixel_std";

  private final Path file;
  private final Connection db;
  private final String relation;
  private final Map<String, String> types = new LinkedHashMap<>();
  private final long rows;
  private final java.util.Set<String> derived = new java.util.HashSet<>();

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
      if ("BLOB".equalsIgnoreCase(types.get(IMAGE))) {
        for (String name : List.of(PIXEL_MEAN, PIXEL_STD)) {
          if (types.putIfAbsent(name, "DOUBLE") == null) {
            derived.add(name);
          }
        }
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
    if (derived.contains(name)) {
      return pixelStatistic(name, kind);
    }
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

  /** A derived column: each image's mean or standard deviation of its pixels in [0, 1]. */
  private ColumnValues pixelStatistic(String name, FeatureKind kind) {
    int n = Math.toIntExact(rows);
    double[] values = new double[n];
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery("SELECT \"" + IMAGE + "\" FROM " + relation)) {
      int i = 0;
      while (r.next()) {
        byte[] pixels = r.getBytes(1);
        values[i++] =
            pixels == null || pixels.length == 0
                ? Double.NaN
                : name.equals(PIXEL_MEAN) ? mean(pixels) : std(pixels);
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          "Cannot read column '" + IMAGE + "' of '" + file + "': " + firstLine(e), e);
    }
    if (kind == FeatureKind.NUMERIC) {
      return new ColumnValues(name, "DOUBLE", FeatureKind.NUMERIC, values, null, 0, null);
    }
    String[] texts = new String[n];
    for (int i = 0; i < n; i++) {
      texts[i] = Double.isNaN(values[i]) ? null : Double.toString(values[i]);
    }
    return new ColumnValues(name, "DOUBLE", FeatureKind.NUMERIC, null, texts, 0, null);
  }

  private static double mean(byte[] pixels) {
    long sum = 0;
    for (byte b : pixels) {
      sum += b & 0xff;
    }
    return sum / 255.0 / pixels.length;
  }

  private static double std(byte[] pixels) {
    double mean = mean(pixels);
    double squares = 0;
    for (byte b : pixels) {
      double d = (b & 0xff) / 255.0 - mean;
      squares += d * d;
    }
    return Math.sqrt(squares / pixels.length);
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
