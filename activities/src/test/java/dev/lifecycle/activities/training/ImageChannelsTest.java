package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Image datasets with a {@code channels} column: RGB pixels read channel-major, the CNN trains on
 * (N, 3, H, W), and a greyscale model refuses RGB images with {@code INVALID_DATA} naming the
 * dataset.
 */
class ImageChannelsTest {
  @TempDir static Path tmp;
  private static LocalArtifactStore store;
  private static ArtifactRef grey;
  private static ArtifactRef rgb;
  private static final List<TestActivityEnvironment> environments = new ArrayList<>();

  /**
   * The greyscale bars with a channels column, and the same bars as RGB (grey in every channel).
   */
  @BeforeAll
  static void writeImages() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    ArtifactRef bars = TestImages.bars(store, tmp, "bars", 120, 3, 1, false);
    String source = "read_parquet('" + store.resolve(bars) + "')";
    grey =
        TestDatasets.fromSql(
            store, tmp, "grey", "SELECT image, height, width, 1 AS channels, label FROM " + source);
    rgb = rgbCopy(store.resolve(grey), tmp.resolve("rgb.parquet"));
  }

  /** The greyscale dataset at {@code source} with each pixel's byte as R, G and B, interleaved. */
  private static ArtifactRef rgbCopy(Path source, Path file) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE t (image BLOB, height INTEGER, width INTEGER, channels INTEGER, label"
                + " BIGINT)");
      }
      try (Statement read = c.createStatement();
          ResultSet rows =
              read.executeQuery(
                  "SELECT image, height, width, label FROM read_parquet('" + source + "')");
          PreparedStatement insert = c.prepareStatement("INSERT INTO t VALUES (?, ?, ?, 3, ?)")) {
        while (rows.next()) {
          byte[] pixels = rows.getBytes(1);
          byte[] interleaved = new byte[pixels.length * 3];
          for (int p = 0; p < pixels.length; p++) {
            interleaved[3 * p] = pixels[p];
            interleaved[3 * p + 1] = pixels[p];
            interleaved[3 * p + 2] = pixels[p];
          }
          insert.setBytes(1, interleaved);
          insert.setInt(2, rows.getInt(2));
          insert.setInt(3, rows.getInt(3));
          insert.setLong(4, rows.getLong(4));
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

  @AfterAll
  static void close() {
    environments.forEach(TestActivityEnvironment::close);
  }

  private static TrainingActivities stub() {
    TestActivityEnvironment env = TestModels.environment();
    environments.add(env);
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
    return env.newActivityStub(TrainingActivities.class, TestModels.options());
  }

  @Test
  void readsRgbPixelsChannelMajor() throws Exception {
    ArtifactRef tiny =
        TestDatasets.fromSql(
            store,
            tmp,
            "two-by-one",
            "SELECT '\\x00\\x33\\x66\\x99\\xCC\\xFF'::BLOB AS image, 1 AS height, 2 AS width,"
                + " 3 AS channels, 0 AS label");
    try (ParquetDataset data = ParquetDataset.open(store.resolve(tiny), "dataset 'tiny'")) {
      assertArrayEquals(new int[] {3, 1, 2}, data.imageShape());
      assertEquals(6, data.floatWidth(List.of(ParquetDataset.IMAGE)));
      float[] row = data.readFloats(List.of(ParquetDataset.IMAGE))[0];
      // Pixel 1 is (0x00, 0x33, 0x66), pixel 2 (0x99, 0xCC, 0xFF): reds, then greens, then blues.
      assertArrayEquals(
          new float[] {0x00 / 255f, 0x99 / 255f, 0x33 / 255f, 0xCC / 255f, 0x66 / 255f, 1f}, row);
    }
  }

  @Test
  void trainsTheCnnOnRgbImages() {
    Train cnn = TrainTasks.classifier("rgb", false, 3).withArchitecture(Architecture.CNN);
    ArtifactRef model =
        stub().train(TrainTasks.task(cnn, rgb, null, null, 1, 32, 0.001)).artifacts().get("model");
    assertEquals(List.of(3, 28, 28), ModelBundle.readMetadata(store.resolve(model)).inputShape());
  }

  @Test
  void refusesRgbImagesForAGreyscaleModelNamingTheDataset() {
    Train cnn = TrainTasks.classifier("base", false, 3).withArchitecture(Architecture.CNN);
    ArtifactRef base =
        stub().train(TrainTasks.task(cnn, grey, null, null, 1, 32, 0.001)).artifacts().get("model");
    Train tune =
        TrainTasks.classifier("tune", false, 5)
            .withPretrained(
                new OutputRef("base", "model"), new FineTune(List.of("features"), false, null));
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () -> stub().train(TrainTasks.task(tune, rgb, null, base, 1, 32, 0.001)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_DATA, cause.getType());
    String message = cause.getOriginalMessage();
    assertTrue(message.contains("dataset 'train' of step 'tune'"), message);
    assertTrue(message.contains("3 channels"), message);
    assertTrue(message.contains("[1, 28, 28]"), message);
  }

  @Test
  void refusesImagesWithMixedChannelCounts() throws Exception {
    ArtifactRef mixed =
        TestDatasets.fromSql(
            store,
            tmp,
            "mixed",
            "SELECT * FROM read_parquet('"
                + store.resolve(grey)
                + "') UNION ALL SELECT * FROM read_parquet('"
                + store.resolve(rgb)
                + "')");
    try (ParquetDataset data = ParquetDataset.open(store.resolve(mixed), "dataset 'mixed'")) {
      ApplicationFailure failure = assertThrows(ApplicationFailure.class, data::imageShape);
      assertEquals(FailureTypes.INVALID_DATA, failure.getType());
      assertTrue(
          failure.getOriginalMessage().contains("dataset 'mixed'"), failure.getOriginalMessage());
      assertTrue(failure.getOriginalMessage().contains("channels"), failure.getOriginalMessage());
    }
  }

  @Test
  void predictRefusesImagesWithAnotherChannelCountNamingTheDataset() throws Exception {
    Train cnn = TrainTasks.classifier("grey", false, 3).withArchitecture(Architecture.CNN);
    ArtifactRef model =
        stub().train(TrainTasks.task(cnn, grey, null, null, 1, 32, 0.001)).artifacts().get("model");
    float[][] rows;
    try (ParquetDataset data = ParquetDataset.open(store.resolve(rgb), "dataset 'rgb'")) {
      rows = data.readFloats(List.of(ParquetDataset.IMAGE));
    }
    try (ModelBundle bundle = ModelBundle.load(store.resolve(model))) {
      ApplicationFailure failure =
          assertThrows(
              ApplicationFailure.class,
              () -> bundle.predict(rows, rows.length, "dataset 'test' of step 'evaluate'"));
      assertEquals(FailureTypes.INVALID_DATA, failure.getType());
      String message = failure.getOriginalMessage();
      assertTrue(message.contains("dataset 'test' of step 'evaluate'"), message);
      assertTrue(message.contains("28×28 pixels with 3 channels (RGB)"), message);
      assertTrue(message.contains("[1, 28, 28] (1 channel (greyscale))"), message);
      // Without a name, the rows are still refused as bad data, not by the engine.
      ApplicationFailure unnamed =
          assertThrows(ApplicationFailure.class, () -> bundle.predict(rows, 2));
      assertEquals(FailureTypes.INVALID_DATA, unnamed.getType());
    }
  }
}
