package dev.lifecycle.worker.labeling;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/** Small Parquet datasets for labeling tests, written with DuckDB. */
final class Datasets {
  private Datasets() {}

  /** The pixels of test image {@code i}: 28x28 greyscale, a gradient shifted by {@code i}. */
  static byte[] pixels(int i) {
    byte[] pixels = new byte[28 * 28];
    for (int p = 0; p < pixels.length; p++) {
      pixels[p] = (byte) ((p + 37 * i) % 256);
    }
    return pixels;
  }

  /**
   * {@code rows} images in the image dataset schema (source_index, label, height, width, channels,
   * image); {@code label} is the true class index, which a labeler must not see.
   */
  static Path images(Path dir, int rows) throws SQLException {
    Path file = dir.resolve("images-" + rows + ".parquet");
    StringBuilder values = new StringBuilder();
    for (int i = 0; i < rows; i++) {
      values
          .append(i == 0 ? "" : ", ")
          .append("(")
          .append(i)
          .append(", ")
          .append(i % 3)
          .append(", 28, 28, 1, unhex('")
          .append(HexFormat.of().formatHex(pixels(i)))
          .append("'))");
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE data (source_index BIGINT, label BIGINT, height INTEGER, width INTEGER,"
              + " channels INTEGER, image BLOB)");
      st.execute("INSERT INTO data VALUES " + values);
      st.execute("COPY data TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }

  /** {@code rows} short texts with an id and a hidden true label. */
  static Path texts(Path dir, int rows) throws SQLException {
    Path file = dir.resolve("texts-" + rows + ".parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT i AS id, 'review number ' || i AS text, CASE WHEN i % 2 = 0 THEN 'pos'"
              + " ELSE 'neg' END AS label FROM range("
              + rows
              + ") t(i)) TO '"
              + file
              + "' (FORMAT parquet)");
    }
    return file;
  }
}
