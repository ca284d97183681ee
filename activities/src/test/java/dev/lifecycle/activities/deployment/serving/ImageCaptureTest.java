package dev.lifecycle.activities.deployment.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.activities.store.CaptureStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.dsl.plan.Task;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests to an image endpoint are captured with their pixels, and a window exports them as an
 * image dataset (8-bit pixels, row-major, channels interleaved) that a label step can take.
 */
class ImageCaptureTest {
  @TempDir Path tmp;

  @Test
  void exportsCapturedImagesAsAnImageDataset() throws Exception {
    // A 2×2 RGB image as the model reads it: channel-major floats in [0, 1].
    int[][] channels = {{0, 64, 128, 255}, {10, 20, 30, 40}, {255, 254, 1, 0}};
    float[] row = new float[12];
    for (int c = 0; c < 3; c++) {
      for (int p = 0; p < 4; p++) {
        row[c * 4 + p] = channels[c][p] / 255f;
      }
    }
    ModelMetadata metadata =
        new ModelMetadata(
            2,
            Task.CLASSIFICATION,
            List.of("image"),
            "label",
            List.of(),
            List.of("0", "1"),
            1,
            Map.of(),
            7,
            ModelMetadata.CNN,
            List.of(3, 2, 2),
            null,
            null,
            null,
            null);
    Instant start = Instant.now().minusSeconds(1);
    try (MetadataStore store = ServingFixtures.metadata(tmp);
        DataCapture capture = new DataCapture(new CaptureStore(store.dataSource()))) {
      InputSchema schema = new InputSchema(metadata, 10);
      capture.offer(
          "shirts",
          new com.fasterxml.jackson.databind.node.ObjectNode[] {schema.captured(null, row)},
          new Prediction(List.of("1"), null, "shirts", 1, "request-1"));
      capture.flush();
      Path file = tmp.resolve("window.parquet");
      assertEquals(1, capture.writeWindow("shirts", start, Instant.now().plusSeconds(1), file));
      try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = db.createStatement();
          ResultSet r =
              st.executeQuery(
                  "SELECT height, width, channels, image, prediction, request_id FROM"
                      + " read_parquet('"
                      + file
                      + "')")) {
        r.next();
        assertEquals(2, r.getInt("height"));
        assertEquals(2, r.getInt("width"));
        assertEquals(3, r.getInt("channels"));
        byte[] expected = new byte[12];
        for (int p = 0; p < 4; p++) {
          for (int c = 0; c < 3; c++) {
            expected[p * 3 + c] = (byte) channels[c][p];
          }
        }
        assertArrayEquals(expected, r.getBytes(4), "row-major, channels interleaved");
        assertEquals(1.0, r.getDouble("prediction"), "a class label that is a number reads as one");
        assertEquals("request-1", r.getString("request_id"));
      }
    }
  }
}
