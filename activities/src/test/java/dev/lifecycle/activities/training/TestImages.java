package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Random;

/**
 * Writes small image datasets for tests, laid out as the image ingest writes them: a BLOB column
 * {@code image} of 8-bit greyscale pixels row-major, INTEGER {@code height} and {@code width}, and
 * a BIGINT class index {@code label}.
 */
public final class TestImages {
  private TestImages() {}

  /**
   * {@code rows} noisy 28×28 images of {@code classes} (at most 13) learnable patterns: class
   * {@code c} is a bright horizontal bar two rows high at a height of its own (jittered by a row
   * when the classes leave room), on uniform noise. With {@code invert}, the same images in
   * negative (a shifted domain).
   */
  public static ArtifactRef bars(
      ArtifactStore store, Path tmp, String name, int rows, int classes, long seed, boolean invert)
      throws SQLException {
    int size = 28;
    Random random = new Random(seed);
    Path file = tmp.resolve(name + ".parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute("CREATE TABLE t (image BLOB, height INTEGER, width INTEGER, label BIGINT)");
      }
      try (PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, ?)")) {
        for (int r = 0; r < rows; r++) {
          int label = random.nextInt(classes);
          int spacing = Math.max(2, (size - 2) / classes);
          int jitter = spacing >= 4 ? random.nextInt(3) - 1 : 0;
          int bar = Math.max(0, Math.min(size - 2, 1 + spacing * label + jitter));
          byte[] pixels = new byte[size * size];
          for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
              int value = y == bar || y == bar + 1 ? 200 + random.nextInt(56) : random.nextInt(90);
              pixels[y * size + x] = (byte) (invert ? 255 - value : value);
            }
          }
          insert.setBytes(1, pixels);
          insert.setInt(2, size);
          insert.setInt(3, size);
          insert.setLong(4, label);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      try (Statement st = c.createStatement()) {
        st.execute("COPY t TO '" + file + "' (FORMAT parquet)");
      }
    }
    return store.put(file, ValueType.DATASET, "parquet");
  }
}
