package dev.lifecycle.activities.training;

import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * A Parquet dataset read through an in-memory DuckDB connection: its schema, checks that columns
 * are numeric and complete, and its values as floats, either all at once (training) or streamed in
 * batches (batch transform). Every error is a non-retryable {@code INVALID_DATA} failure naming the
 * dataset and the column.
 *
 * <pre>{@code
 * try (ParquetDataset data = ParquetDataset.open(path, "dataset 'train' of step 'train'")) {
 *   data.requireNumeric(data.columnNames());
 *   float[][] rows = data.readFloats(data.columnNames());
 * }
 * }</pre>
 */
public final class ParquetDataset implements AutoCloseable {

  /** One column of the dataset and its DuckDB type, e.g. {@code DOUBLE} or {@code BIGINT}. */
  public record Column(String name, String type) {

    /** Whether values of this column convert to numbers without loss of meaning. */
    public boolean isNumeric() {
      String t = type.toUpperCase(Locale.ROOT);
      return t.equals("TINYINT")
          || t.equals("SMALLINT")
          || t.equals("INTEGER")
          || t.equals("BIGINT")
          || t.equals("HUGEINT")
          || t.equals("UTINYINT")
          || t.equals("USMALLINT")
          || t.equals("UINTEGER")
          || t.equals("UBIGINT")
          || t.equals("UHUGEINT")
          || t.equals("FLOAT")
          || t.equals("DOUBLE")
          || t.startsWith("DECIMAL");
    }
  }

  private final Connection connection;
  private final Path file;
  private final String description;
  private final List<Column> columns;
  private final String source;

  private ParquetDataset(Connection connection, Path file, String description) throws SQLException {
    this.connection = connection;
    this.file = file;
    this.description = description;
    this.source = "read_parquet(" + literal(file.toAbsolutePath().toString()) + ")";
    List<Column> found = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("DESCRIBE SELECT * FROM " + source)) {
      while (rs.next()) {
        found.add(new Column(rs.getString("column_name"), rs.getString("column_type")));
      }
    }
    this.columns = List.copyOf(found);
  }

  /**
   * Opens {@code file}. {@code description} names the dataset in error messages, e.g. {@code
   * "dataset 'train' of step 'train'"}.
   */
  public static ParquetDataset open(Path file, String description) {
    return open(file, description, false);
  }

  /**
   * Opens {@code file} for reading it once from start to end in batches: DuckDB then streams the
   * result instead of materialising it, so memory stays bounded by the batch size.
   */
  public static ParquetDataset openStreaming(Path file, String description) {
    return open(file, description, true);
  }

  private static ParquetDataset open(Path file, String description, boolean streaming) {
    Properties properties = new Properties();
    properties.setProperty("jdbc_stream_results", String.valueOf(streaming));
    Connection connection = null;
    try {
      connection = DriverManager.getConnection("jdbc:duckdb:", properties);
      return new ParquetDataset(connection, file, description);
    } catch (SQLException e) {
      closeQuietly(connection, e);
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "Cannot read " + description + " from " + file + " as Parquet: " + e.getMessage(),
          FailureTypes.INVALID_DATA,
          e);
    }
  }

  /** How error messages name this dataset. */
  public String description() {
    return description;
  }

  /** The columns in file order. */
  public List<Column> columns() {
    return columns;
  }

  /** The column names in file order. */
  public List<String> columnNames() {
    return columns.stream().map(Column::name).toList();
  }

  /** The column called {@code name}; fails with {@code INVALID_DATA} listing the columns. */
  public Column column(String name) {
    return columns.stream()
        .filter(c -> c.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                invalid(
                    "Column '"
                        + name
                        + "' is missing from "
                        + description
                        + "; its columns are "
                        + columnNames()));
  }

  /** Whether the dataset has a column called {@code name}. */
  public boolean hasColumn(String name) {
    return columns.stream().anyMatch(c -> c.name().equals(name));
  }

  /** Fails unless every one of {@code names} exists and is numeric. */
  public void requireNumeric(List<String> names) {
    for (String name : names) {
      Column c = column(name);
      if (!c.isNumeric()) {
        throw invalid(
            "Column '"
                + name
                + "' of "
                + description
                + " has type "
                + c.type()
                + " but must be numeric: encode it in a features step (e.g. oneHot) first");
      }
    }
  }

  /** Fails if any of {@code names} holds a NULL, naming the first such column and its count. */
  public void requireNoNulls(List<String> names) {
    if (names.isEmpty()) {
      return;
    }
    String sql =
        names.stream()
            .map(n -> "count(*) - count(" + identifier(n) + ")")
            .collect(Collectors.joining(", ", "SELECT ", " FROM " + source));
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      for (int i = 0; i < names.size(); i++) {
        long nulls = rs.getLong(i + 1);
        if (nulls > 0) {
          throw invalid(
              "Column '"
                  + names.get(i)
                  + "' of "
                  + description
                  + " has "
                  + nulls
                  + " NULL value(s): impute or drop them before this step");
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** The number of rows. */
  public long rowCount() {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM " + source)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** The distinct values of {@code name} in DuckDB's sort order of its type, as strings. */
  public List<String> distinctStrings(String name) {
    String id = identifier(name);
    String sql =
        "SELECT CAST(v AS VARCHAR) FROM (SELECT DISTINCT "
            + id
            + " AS v FROM "
            + source
            + " WHERE "
            + id
            + " IS NOT NULL) ORDER BY v";
    List<String> values = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return values;
  }

  /** Every row of {@code names} as floats, in file order; fails on NaN or infinity. */
  public float[][] readFloats(List<String> names) {
    List<float[]> rows = new ArrayList<>();
    try (Batches batches = batches(names, null, 8192)) {
      while (batches.next()) {
        for (int i = 0; i < batches.size(); i++) {
          rows.add(batches.features()[i].clone());
        }
      }
    }
    return rows.toArray(new float[0][]);
  }

  /** Every value of {@code name} cast to a string, in file order. */
  public String[] readStrings(String name) {
    List<String> values = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CAST(" + identifier(name) + " AS VARCHAR) FROM " + source)) {
      while (rs.next()) {
        values.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return values.toArray(new String[0]);
  }

  /**
   * Reads {@code features} (as floats) and optionally {@code extra} (as a string, e.g. the label)
   * in batches of at most {@code batchRows} rows, in file order. Only one batch is held at a time.
   */
  public Batches batches(List<String> features, String extra, int batchRows) {
    if (batchRows < 1) {
      throw new IllegalArgumentException("batchRows must be positive, got " + batchRows);
    }
    List<String> selected = new ArrayList<>(features);
    if (extra != null) {
      selected.add("CAST(" + identifier(extra) + " AS VARCHAR)");
    }
    String sql =
        "SELECT "
            + selected.stream()
                .map(s -> s.startsWith("CAST(") ? s : identifier(s))
                .collect(Collectors.joining(", "))
            + " FROM "
            + source;
    try {
      PreparedStatement st = connection.prepareStatement(sql);
      try {
        return new Batches(st, st.executeQuery(), features, extra != null, batchRows);
      } catch (SQLException e) {
        st.close();
        throw e;
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /** A cursor over batches of rows; the arrays are reused between batches. */
  public final class Batches implements AutoCloseable {
    private final Statement statement;
    private final ResultSet rs;
    private final List<String> features;
    private final boolean withExtra;
    private final float[][] rows;
    private final String[] extras;
    private int size;
    private long offset;
    private boolean exhausted;

    private Batches(
        Statement statement,
        ResultSet rs,
        List<String> features,
        boolean withExtra,
        int batchRows) {
      this.statement = statement;
      this.rs = rs;
      this.features = features;
      this.withExtra = withExtra;
      this.rows = new float[batchRows][features.size()];
      this.extras = withExtra ? new String[batchRows] : null;
    }

    /** Loads the next batch; false when no rows are left. */
    public boolean next() {
      offset += size;
      size = 0;
      if (exhausted) {
        return false;
      }
      try {
        int width = features.size();
        while (size < rows.length) {
          if (!rs.next()) {
            exhausted = true;
            break;
          }
          float[] row = rows[size];
          for (int c = 0; c < width; c++) {
            double v = rs.getDouble(c + 1);
            if (rs.wasNull() || !Double.isFinite(v)) {
              throw invalid(
                  "Column '"
                      + features.get(c)
                      + "' of "
                      + description
                      + " has "
                      + (rs.wasNull() ? "NULL" : String.valueOf(v))
                      + " at row "
                      + (offset + size)
                      + ": features must be finite numbers");
            }
            row[c] = (float) v;
          }
          if (withExtra) {
            extras[size] = rs.getString(width + 1);
          }
          size++;
        }
      } catch (SQLException e) {
        throw failure(e);
      }
      return size > 0;
    }

    /** Rows in the current batch; the first {@link #size()} entries of {@link #features()}. */
    public int size() {
      return size;
    }

    /** The index in the dataset of the current batch's first row. */
    public long offset() {
      return offset;
    }

    /** The feature rows of the current batch (only the first {@link #size()} are valid). */
    public float[][] features() {
      return rows;
    }

    /** The extra column of the current batch as strings (NULL as {@code null}). */
    public String[] extras() {
      if (extras == null) {
        throw new IllegalStateException("No extra column was requested");
      }
      return extras;
    }

    @Override
    public void close() {
      try {
        rs.close();
        statement.close();
      } catch (SQLException e) {
        throw failure(e);
      }
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close DuckDB reading " + file, e);
    }
  }

  /** {@code name} quoted as a SQL identifier. */
  public static String identifier(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** {@code value} quoted as a SQL string literal. */
  public static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }

  private ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_DATA);
  }

  private ApplicationFailure failure(SQLException e) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "Cannot read " + description + " from " + file + ": " + e.getMessage(),
        FailureTypes.INVALID_DATA,
        e);
  }

  private static void closeQuietly(Connection connection, Exception cause) {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }
}
