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
 * <p>An <em>image dataset</em> has a BLOB column {@value #IMAGE} holding each image's 8-bit pixels
 * row-major (height × width × channels bytes, channels interleaved), INTEGER columns {@value
 * #HEIGHT} and {@value #WIDTH}, and optionally {@value #CHANNELS} (1 greyscale, 3 RGB; 1 when the
 * column is absent); all images have the same shape. Its {@value #IMAGE} column reads as {@code
 * channels × height × width} floats per row, channel-major as convolutions read them (all red
 * values, then all green, then all blue), the pixels scaled to [0, 1].
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

  /** The BLOB column of an image dataset. */
  public static final String IMAGE = "image";

  /** The column of an image dataset holding each image's height in pixels. */
  public static final String HEIGHT = "height";

  /** The column of an image dataset holding each image's width in pixels. */
  public static final String WIDTH = "width";

  /** The optional column of an image dataset holding each image's channel count (1 or 3). */
  public static final String CHANNELS = "channels";

  private final Connection connection;
  private final Path file;
  private int[] imageShape;
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

  /** Whether this is an image dataset: it has a BLOB column {@value #IMAGE}. */
  public boolean isImageDataset() {
    return columns.stream()
        .anyMatch(c -> c.name().equals(IMAGE) && c.type().toUpperCase(Locale.ROOT).equals("BLOB"));
  }

  /**
   * The {@code [height, width]} every image of this image dataset has; fails like {@link
   * #imageShape()}.
   */
  public int[] imageSize() {
    int[] shape = imageShape();
    return new int[] {shape[1], shape[2]};
  }

  /**
   * The {@code [channels, height, width]} every image of this image dataset has; fails with {@code
   * INVALID_DATA} when the dataset has no images, images of several shapes, or an image whose byte
   * count is not {@code height × width × channels}.
   */
  public int[] imageShape() {
    if (imageShape != null) {
      return imageShape.clone();
    }
    if (!isImageDataset()) {
      throw invalid(
          description + " is not an image dataset: it has no BLOB column '" + IMAGE + "'");
    }
    boolean hasChannels = hasColumn(CHANNELS);
    List<String> integers = hasChannels ? List.of(HEIGHT, WIDTH, CHANNELS) : List.of(HEIGHT, WIDTH);
    for (String name : integers) {
      Column c = column(name);
      if (!c.isNumeric()) {
        throw invalid(
            "Column '"
                + name
                + "' of image "
                + description
                + " has type "
                + c.type()
                + " but must hold integers (pixels)");
      }
    }
    String h = identifier(HEIGHT);
    String w = identifier(WIDTH);
    String c = hasChannels ? identifier(CHANNELS) : "1";
    String sql =
        "SELECT min("
            + h
            + "), max("
            + h
            + "), min("
            + w
            + "), max("
            + w
            + "), min("
            + c
            + "), max("
            + c
            + "), min(row_index) FILTER (WHERE octet_length("
            + identifier(IMAGE)
            + ") <> "
            + h
            + " * "
            + w
            + " * "
            + c
            + ") FROM (SELECT *, row_number() OVER () - 1 AS row_index FROM "
            + source
            + ")";
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      if (rs.getObject(1) == null) {
        throw invalid("Image " + description + " has no rows");
      }
      long minH = rs.getLong(1);
      long maxH = rs.getLong(2);
      long minW = rs.getLong(3);
      long maxW = rs.getLong(4);
      long minC = rs.getLong(5);
      long maxC = rs.getLong(6);
      if (minH != maxH || minW != maxW) {
        throw invalid(
            "Images of "
                + description
                + " have several sizes (height "
                + minH
                + ".."
                + maxH
                + ", width "
                + minW
                + ".."
                + maxW
                + "); resize them to one size before training");
      }
      if (minC != maxC) {
        throw invalid(
            "Images of "
                + description
                + " mix "
                + minC
                + " and "
                + maxC
                + " channels (column '"
                + CHANNELS
                + "'); convert them all to greyscale or all to RGB");
      }
      if (minH < 1 || minW < 1 || minC < 1) {
        throw invalid(
            "Images of "
                + description
                + " are "
                + minH
                + "×"
                + minW
                + " pixels with "
                + minC
                + " channel(s); all three must be positive");
      }
      rs.getLong(7);
      if (!rs.wasNull()) {
        throw invalid(
            "Column '"
                + IMAGE
                + "' of "
                + description
                + " at row "
                + rs.getLong(7)
                + " does not hold "
                + minH
                + "×"
                + minW
                + "×"
                + minC
                + " = "
                + minH * minW * minC
                + " bytes (8 bits per channel of each pixel, row-major)");
      }
      imageShape = new int[] {(int) minC, (int) minH, (int) minW};
      return imageShape.clone();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  /**
   * Floats per row that {@code names} read: one per numeric column, every channel of every pixel of
   * an image.
   */
  public int floatWidth(List<String> names) {
    int width = 0;
    for (String name : names) {
      if (isImageColumn(name)) {
        int[] shape = imageShape();
        width += shape[0] * shape[1] * shape[2];
      } else {
        width++;
      }
    }
    return width;
  }

  private boolean isImageColumn(String name) {
    return name.equals(IMAGE) && isImageDataset();
  }

  /**
   * Fails unless every one of {@code names} exists and is numeric (or is the {@value #IMAGE} column
   * of an image dataset, whose pixels read as numbers).
   */
  public void requireNumeric(List<String> names) {
    for (String name : names) {
      Column c = column(name);
      if (isImageColumn(name)) {
        imageShape();
        continue;
      }
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
            st.executeQuery("SELECT CAST(" + identifier(name) + " AS VARCHAR) FROM " + source)) {
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
        int[] widths = new int[features.size()];
        for (int c = 0; c < widths.length; c++) {
          widths[c] = isImageColumn(features.get(c)) ? floatWidth(List.of(IMAGE)) : 1;
        }
        int channels = features.stream().anyMatch(this::isImageColumn) ? imageShape()[0] : 1;
        return new Batches(
            st, st.executeQuery(), features, widths, channels, extra != null, batchRows);
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
    private final int[] widths;
    private final int channels;
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
        int[] widths,
        int channels,
        boolean withExtra,
        int batchRows) {
      this.statement = statement;
      this.rs = rs;
      this.features = features;
      this.widths = widths;
      this.channels = channels;
      this.withExtra = withExtra;
      int width = 0;
      for (int w : widths) {
        width += w;
      }
      this.rows = new float[batchRows][width];
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
          int at = 0;
          for (int c = 0; c < width; c++) {
            if (widths[c] > 1) {
              at = readPixels(c, at, row);
              continue;
            }
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
            row[at++] = (float) v;
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

    /**
     * Copies the pixels of image column {@code c} into {@code row} from {@code at}, in [0, 1],
     * channel-major: the stored bytes interleave channels per pixel.
     */
    private int readPixels(int c, int at, float[] row) throws SQLException {
      byte[] pixels = rs.getBytes(c + 1);
      if (pixels == null || pixels.length != widths[c]) {
        throw invalid(
            "Column '"
                + features.get(c)
                + "' of "
                + description
                + " at row "
                + (offset + size)
                + " holds "
                + (pixels == null ? "NULL" : pixels.length + " bytes")
                + " but every image has "
                + widths[c]
                + " bytes");
      }
      if (channels == 1) {
        for (byte pixel : pixels) {
          row[at++] = (pixel & 0xFF) / 255f;
        }
        return at;
      }
      int plane = pixels.length / channels;
      for (int p = 0; p < plane; p++) {
        for (int ch = 0; ch < channels; ch++) {
          row[at + ch * plane + p] = (pixels[p * channels + ch] & 0xFF) / 255f;
        }
      }
      return at + pixels.length;
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
