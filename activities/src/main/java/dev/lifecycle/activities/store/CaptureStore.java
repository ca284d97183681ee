package dev.lifecycle.activities.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Captured inferences of endpoints (table {@code capture_record}): one row per instance of a
 * captured request, with its features (a JSON object by name), the prediction, the model version
 * and the time; the ground truth is set later by request id. Monitoring reads windows of it.
 */
public final class CaptureStore {
  private final DataSource dataSource;
  private final Jdbc jdbc;

  /** A store over the metadata database {@code dataSource} (migrated by {@link MetadataStore}). */
  public CaptureStore(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.jdbc = new Jdbc(dataSource);
  }

  /**
   * One captured instance.
   *
   * @param rowIndex the instance's position in its request, from 0
   * @param featuresJson the features as a JSON object, e.g. {@code {"Length":0.5,...}}
   * @param prediction the prediction as text: a number for regression, a class for classification
   * @param groundTruth the ground truth as text, or null until posted
   */
  public record CapturedRow(
      String endpoint,
      String requestId,
      int rowIndex,
      String modelName,
      int modelVersion,
      String featuresJson,
      String prediction,
      String groundTruth,
      Instant capturedAt) {}

  /** Writes {@code rows} in one batch; rows already captured (same request and index) are kept. */
  public void insert(List<CapturedRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String sql =
        "INSERT INTO capture_record (endpoint, request_id, row_index, model_name, model_version,"
            + " features_json, prediction, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (CapturedRow row : rows) {
        s.setString(1, row.endpoint());
        s.setString(2, row.requestId());
        s.setInt(3, row.rowIndex());
        s.setString(4, row.modelName());
        s.setInt(5, row.modelVersion());
        s.setString(6, row.featuresJson());
        s.setString(7, row.prediction());
        s.setObject(8, row.capturedAt().atOffset(ZoneOffset.UTC));
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      if (!Jdbc.isUniqueViolation(e)) {
        throw new MetadataStoreException("Cannot write " + rows.size() + " captured rows", e);
      }
      // A batch retried after a partial failure: write row by row, skipping those present.
      for (CapturedRow row : rows) {
        insertOne(row);
      }
    }
  }

  private void insertOne(CapturedRow row) {
    jdbc.updateUnlessDuplicate(
        "INSERT INTO capture_record (endpoint, request_id, row_index, model_name, model_version,"
            + " features_json, prediction, captured_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        s -> {
          s.setString(1, row.endpoint());
          s.setString(2, row.requestId());
          s.setInt(3, row.rowIndex());
          s.setString(4, row.modelName());
          s.setInt(5, row.modelVersion());
          s.setString(6, row.featuresJson());
          s.setString(7, row.prediction());
          s.setObject(8, row.capturedAt().atOffset(ZoneOffset.UTC));
        });
  }

  /**
   * Sets the ground truth of instance {@code rowIndex} of captured request {@code requestId}.
   *
   * @return whether such a captured row exists
   */
  public boolean setGroundTruth(String endpoint, String requestId, int rowIndex, String value) {
    return jdbc.update(
            "UPDATE capture_record SET ground_truth = ?, ground_truth_at = ? WHERE endpoint = ?"
                + " AND request_id = ? AND row_index = ?",
            s -> {
              Jdbc.setNullable(s, 1, value);
              s.setObject(2, Jdbc.now());
              s.setString(3, endpoint);
              s.setString(4, requestId);
              s.setInt(5, rowIndex);
            })
        > 0;
  }

  /** How many instances of request {@code requestId} were captured (0 when it was not). */
  public int instances(String endpoint, String requestId) {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM capture_record WHERE endpoint = ? AND request_id = ?",
            s -> {
              s.setString(1, endpoint);
              s.setString(2, requestId);
            },
            r -> r.getInt(1))
        .orElse(0);
  }

  /** How many rows of {@code endpoint} were captured in all. */
  public long count(String endpoint) {
    return jdbc.queryOne(
            "SELECT COUNT(*) FROM capture_record WHERE endpoint = ?",
            s -> s.setString(1, endpoint),
            r -> r.getLong(1))
        .orElse(0L);
  }

  /**
   * Streams the rows of {@code endpoint} captured in {@code [start, end)} to {@code sink}, in
   * capture order, without holding them all in memory.
   */
  public void window(String endpoint, Instant start, Instant end, Consumer<CapturedRow> sink) {
    String sql =
        "SELECT endpoint, request_id, row_index, model_name, model_version, features_json,"
            + " prediction, ground_truth, captured_at FROM capture_record WHERE endpoint = ? AND"
            + " captured_at >= ? AND captured_at < ? ORDER BY captured_at, id";
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      s.setFetchSize(1000);
      s.setString(1, endpoint);
      s.setObject(2, start.atOffset(ZoneOffset.UTC));
      s.setObject(3, end.atOffset(ZoneOffset.UTC));
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          sink.accept(
              new CapturedRow(
                  r.getString(1),
                  r.getString(2),
                  r.getInt(3),
                  r.getString(4),
                  r.getInt(5),
                  r.getString(6),
                  r.getString(7),
                  r.getString(8),
                  Jdbc.instant(r, "captured_at")));
        }
      }
    } catch (SQLException e) {
      throw new MetadataStoreException("Cannot read the captured rows of '" + endpoint + "'", e);
    }
  }
}
