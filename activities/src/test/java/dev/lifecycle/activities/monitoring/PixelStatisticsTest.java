package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.monitoring.DriftReport.Status;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image datasets are watched through two derived features, each image's mean pixel intensity and
 * its standard deviation: same-camera images pass, inverted ones drift.
 */
class PixelStatisticsTest {
  @TempDir Path dir;

  @Test
  void derivesPixelMeanAndStdFromTheImageColumn() throws Exception {
    Path file = images(dir.resolve("two.parquet"), 2, 1, false);
    try (ParquetColumns columns = new ParquetColumns(file, "test")) {
      assertEquals("DOUBLE", columns.types().get(ParquetColumns.PIXEL_MEAN));
      assertEquals("DOUBLE", columns.types().get(ParquetColumns.PIXEL_STD));
      double[] means = columns.read(ParquetColumns.PIXEL_MEAN, FeatureKind.NUMERIC).numbers();
      double[] stds = columns.read(ParquetColumns.PIXEL_STD, FeatureKind.NUMERIC).numbers();
      // Image i of this fixture: pixel p is (p * 7 + i * 13) % 256.
      for (int i = 0; i < 2; i++) {
        double sum = 0;
        double squares = 0;
        for (int p = 0; p < 784; p++) {
          double v = ((p * 7 + i * 13) % 256) / 255.0;
          sum += v;
        }
        double mean = sum / 784;
        for (int p = 0; p < 784; p++) {
          double d = ((p * 7 + i * 13) % 256) / 255.0 - mean;
          squares += d * d;
        }
        assertEquals(mean, means[i], 1e-12);
        assertEquals(Math.sqrt(squares / 784), stds[i], 1e-12);
      }
    }
  }

  @Test
  void sameCameraImagesPassAndInvertedImagesDrift() throws Exception {
    Baseline baseline =
        Baselines.compute(
            images(dir.resolve("train.parquet"), 400, 1, false),
            BaselineOptions.newBuilder()
                .optFeatures(List.of(ParquetColumns.PIXEL_MEAN, ParquetColumns.PIXEL_STD))
                .optNumericDrift(List.of(new DriftCheck(DriftMethod.PSI, 0.25)))
                .build());
    assertEquals(
        List.of("pixel_mean", "pixel_std"),
        baseline.statistics().features().stream().map(FeatureStatistics::name).toList());

    DriftReport same =
        DriftChecker.check(baseline, images(dir.resolve("same.parquet"), 200, 2, false));
    assertEquals(Status.OK, same.status(), same.violations()::toString);

    DriftReport inverted =
        DriftChecker.check(baseline, images(dir.resolve("inverted.parquet"), 200, 3, true));
    assertEquals(Status.VIOLATIONS, inverted.status());
    assertTrue(
        inverted.violations().stream().anyMatch(v -> v.feature().equals("pixel_mean")),
        inverted.violations()::toString);
  }

  /**
   * {@code n} 28×28 greyscale images in the image-dataset layout: dark backgrounds with a bright
   * blob of random size and brightness (or their negatives); with n = 2 and seed 1, the fixed
   * pattern {@code (p * 7 + i * 13) % 256} instead.
   */
  static Path images(Path file, int n, long seed, boolean inverted) throws Exception {
    Random random = new Random(seed);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute(
          "CREATE TABLE data (source_index BIGINT, height INTEGER, width INTEGER,"
              + " channels INTEGER, image BLOB)");
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO data VALUES (?, 28, 28, 1, ?)")) {
        for (int i = 0; i < n; i++) {
          byte[] pixels = new byte[784];
          int radius = 4 + random.nextInt(8);
          int level = 120 + random.nextInt(136);
          for (int p = 0; p < 784; p++) {
            int v;
            if (n == 2 && seed == 1) {
              v = (p * 7 + i * 13) % 256;
            } else {
              int dy = p / 28 - 14;
              int dx = p % 28 - 14;
              v = dx * dx + dy * dy <= radius * radius ? level : random.nextInt(20);
            }
            pixels[p] = (byte) (inverted ? 255 - v : v);
          }
          insert.setLong(1, i);
          insert.setBytes(2, pixels);
          insert.addBatch();
        }
        insert.executeBatch();
      }
      s.execute("COPY data TO '" + file + "' (FORMAT parquet)");
    }
    return file;
  }
}
