package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.store.CaptureStore;
import dev.lifecycle.activities.store.CaptureStore.CapturedRow;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.dsl.plan.PlanJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Data capture: endpoints offer the requests they sampled; a background thread writes them to the
 * {@link CaptureStore} in batches, off the request path (when the queue is full, rows are dropped
 * and counted rather than slowing requests). Ground truth is joined by request id, and {@link
 * #writeWindow} exports a time window as Parquet for monitoring.
 */
public final class DataCapture implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataCapture.class);
  private static final ObjectMapper JSON = PlanJson.lenient();
  private static final int QUEUE = 100_000;
  private static final int BATCH = 500;

  /** The column of the prediction in a window file. */
  public static final String PREDICTION = "prediction";

  /** The column of the ground truth in a window file (null where none was posted). */
  public static final String GROUND_TRUTH = "ground_truth";

  /**
   * The pixels of an image request in a window file: a BLOB of 8-bit pixels, row-major with
   * channels interleaved, beside INTEGER columns {@code height}, {@code width} and {@code
   * channels}, as image datasets hold them (so a window can be labeled and trained on).
   */
  public static final String IMAGE = "image";

  private final CaptureStore store;
  private final BlockingQueue<CapturedRow> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong dropped = new AtomicLong();
  private final java.util.concurrent.ConcurrentHashMap<String, AtomicLong> droppedBy =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLong written = new AtomicLong();
  private final Object progress = new Object();
  // Rows accepted by the queue, and rows the writer has finished with (written or failed): flush
  // compares the two, since an empty queue alone does not tell a batch taken but not yet written.
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong handled = new AtomicLong();
  private final Thread writer;
  private volatile boolean stopped;

  public DataCapture(CaptureStore store) {
    this.store = store;
    this.writer = new Thread(this::run, "data-capture");
    this.writer.setDaemon(true);
    this.writer.start();
  }

  /** The store rows are written to. */
  public CaptureStore store() {
    return store;
  }

  /** Rows dropped because the queue was full or the store refused their batch. */
  public long dropped() {
    return dropped.get();
  }

  /** Rows of {@code endpoint} dropped because the queue was full or the store refused them. */
  public long dropped(String endpoint) {
    AtomicLong n = droppedBy.get(endpoint);
    return n == null ? 0 : n.get();
  }

  private void drop(String endpoint, long rows) {
    dropped.addAndGet(rows);
    droppedBy.computeIfAbsent(endpoint, e -> new AtomicLong()).addAndGet(rows);
  }

  /**
   * Queues one captured request: per instance, what {@link InputSchema#captured} recorded of it
   * (raw inputs for a model with a transform) and its prediction.
   */
  void offer(String endpoint, ObjectNode[] rows, Prediction prediction) {
    Instant now = Instant.now();
    for (int i = 0; i < rows.length; i++) {
      ObjectNode features = rows[i];
      Object p = prediction.predictions().get(i);
      CapturedRow row =
          new CapturedRow(
              endpoint,
              prediction.requestId(),
              i,
              prediction.modelName(),
              prediction.modelVersion(),
              features.toString(),
              String.valueOf(p),
              null,
              now);
      if (queue.offer(row)) {
        queued.incrementAndGet();
      } else {
        drop(endpoint, 1);
      }
    }
  }

  /** Waits until every row offered so far is written. */
  public void flush() {
    long target = queued.get();
    synchronized (progress) {
      while (handled.get() < target && writer.isAlive()) {
        try {
          progress.wait(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void run() {
    List<CapturedRow> batch = new ArrayList<>(BATCH);
    while (!stopped || !queue.isEmpty()) {
      batch.clear();
      try {
        CapturedRow first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        store.insert(batch);
        written.addAndGet(batch.size());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        for (CapturedRow row : batch) {
          drop(row.endpoint(), 1);
        }
        log.warn("Cannot write {} captured rows: {}", batch.size(), e.getMessage());
      } finally {
        if (!batch.isEmpty()) {
          handled.addAndGet(batch.size());
          synchronized (progress) {
            progress.notifyAll();
          }
        }
      }
    }
  }

  /**
   * Posts ground truth for captured request {@code requestId}: {@code values} holds one value per
   * instance of the request (a number or a class label), or a single value for a one-instance
   * request.
   *
   * @throws InvalidInputException naming {@code requestId} when the request was not captured, or
   *     {@code groundTruth} when the count of values does not match its instances
   */
  public int groundTruth(String endpoint, String requestId, JsonNode values) {
    flush();
    int instances = store.instances(endpoint, requestId);
    if (instances == 0) {
      throw new InvalidInputException(
          "requestId",
          "Request '"
              + requestId
              + "' of endpoint '"
              + endpoint
              + "' was not captured (only a share of requests is, see captureFraction)");
    }
    List<String> texts = new ArrayList<>();
    if (values == null || values.isNull()) {
      throw new InvalidInputException("groundTruth", "Field 'groundTruth' is missing");
    }
    if (values.isArray()) {
      for (JsonNode v : values) {
        texts.add(scalar(v, "groundTruth[" + texts.size() + "]"));
      }
    } else {
      texts.add(scalar(values, "groundTruth"));
    }
    if (texts.size() != instances) {
      throw new InvalidInputException(
          "groundTruth",
          "Field 'groundTruth' has "
              + texts.size()
              + " values but request '"
              + requestId
              + "' had "
              + instances
              + " instances");
    }
    for (int i = 0; i < texts.size(); i++) {
      store.setGroundTruth(endpoint, requestId, i, texts.get(i));
    }
    return texts.size();
  }

  private static String scalar(JsonNode v, String field) {
    if (v.isNumber()) {
      return v.asText();
    }
    if (v.isTextual()) {
      return v.textValue();
    }
    throw new InvalidInputException(
        field, "Field '" + field + "' must be a number or a class label, got " + v);
  }

  /**
   * Writes the rows of {@code endpoint} captured in {@code [start, end)} to {@code output} as
   * Parquet: one column per feature (in the order first seen; DOUBLE when every value is a number,
   * else VARCHAR, so that raw categories such as {@code Sex} keep their text), for an image
   * endpoint the image columns ({@code height}, {@code width}, {@code channels}, {@value #IMAGE}),
   * {@value #PREDICTION} and {@value #GROUND_TRUTH} (DOUBLE when every value is a number, else
   * VARCHAR; ground truth null where none was posted), then {@code request_id}, {@code
   * model_version} and {@code captured_at}. Rows stream from the database, so a window of any size
   * fits in memory.
   *
   * @return the number of rows written; 0 means nothing was captured and no file was written
   */
  public long writeWindow(String endpoint, Instant start, Instant end, Path output) {
    flush();
    return writeWindow(store, endpoint, start, end, output);
  }

  /**
   * {@link #writeWindow(String, Instant, Instant, Path)} straight from a capture store, for a
   * process that serves no endpoints (e.g. a monitoring worker): {@code new
   * CaptureStore(metadata.dataSource())}. Rows still queued in a serving worker are not yet there.
   */
  public static long writeWindow(
      CaptureStore store, String endpoint, Instant start, Instant end, Path output) {
    Map<String, Boolean> features = new LinkedHashMap<>();
    boolean[] numeric = {true, true};
    boolean[] image = {false};
    long[] count = {0};
    store.window(
        endpoint,
        start,
        end,
        row -> {
          count[0]++;
          JsonNode parsed = parse(row.featuresJson());
          Iterator<Map.Entry<String, JsonNode>> fields = parsed.fields();
          fields.forEachRemaining(
              f -> {
                if (f.getKey().equals(IMAGE) && f.getValue().isObject()) {
                  image[0] = true;
                } else {
                  features.merge(
                      f.getKey(),
                      f.getValue().isNumber() || f.getValue().isNull(),
                      Boolean::logicalAnd);
                }
              });
          numeric[0] &= isNumber(row.prediction());
          numeric[1] &= row.groundTruth() == null || isNumber(row.groundTruth());
        });
    if (count[0] == 0) {
      return 0;
    }
    List<String> names = new ArrayList<>(features.keySet());
    List<String> columns = new ArrayList<>();
    for (String n : names) {
      columns.add(ParquetDataset.identifier(n) + (features.get(n) ? " DOUBLE" : " VARCHAR"));
    }
    if (image[0]) {
      columns.add("height INTEGER");
      columns.add("width INTEGER");
      columns.add("channels INTEGER");
      columns.add(IMAGE + " BLOB");
    }
    columns.add(PREDICTION + (numeric[0] ? " DOUBLE" : " VARCHAR"));
    columns.add(GROUND_TRUTH + (numeric[1] ? " DOUBLE" : " VARCHAR"));
    columns.add("request_id VARCHAR");
    columns.add("model_version INTEGER");
    columns.add("captured_at TIMESTAMP");
    try {
      Files.createDirectories(output.toAbsolutePath().getParent());
      Path work = Files.createTempFile(output.toAbsolutePath().getParent(), "capture", ".duckdb");
      Files.delete(work);
      try (DuckDBConnection db =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + work)) {
        try (Statement st = db.createStatement()) {
          st.execute("CREATE TABLE capture (" + String.join(", ", columns) + ")");
        }
        try (DuckDBAppender appender =
            db.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "capture")) {
          SQLException[] failure = {null};
          store.window(
              endpoint,
              start,
              end,
              row -> {
                if (failure[0] != null) {
                  return;
                }
                try {
                  append(appender, row, names, features, numeric, image[0]);
                } catch (SQLException e) {
                  failure[0] = e;
                }
              });
          if (failure[0] != null) {
            throw failure[0];
          }
        }
        try (Statement st = db.createStatement()) {
          st.execute(
              "COPY capture TO " + ParquetDataset.literal(output.toString()) + " (FORMAT parquet)");
        }
      } finally {
        Files.deleteIfExists(work);
        Files.deleteIfExists(Path.of(work + ".wal"));
      }
    } catch (SQLException | java.io.IOException e) {
      throw new IllegalStateException(
          "Cannot write the capture window of endpoint '" + endpoint + "' to " + output, e);
    }
    return count[0];
  }

  private static void append(
      DuckDBAppender appender,
      CapturedRow row,
      List<String> names,
      Map<String, Boolean> numericFeatures,
      boolean[] numeric,
      boolean image)
      throws SQLException {
    JsonNode features = parse(row.featuresJson());
    appender.beginRow();
    for (String n : names) {
      JsonNode v = features.get(n);
      if (v == null || v.isNull()) {
        appender.appendNull();
      } else if (numericFeatures.get(n)) {
        appender.append(v.doubleValue());
      } else {
        appender.append(v.isTextual() ? v.textValue() : v.toString());
      }
    }
    if (image) {
      JsonNode pixels = features.get(IMAGE);
      if (pixels == null || !pixels.isObject()) {
        appender.appendNull();
        appender.appendNull();
        appender.appendNull();
        appender.appendNull();
      } else {
        appender.append(pixels.get("height").intValue());
        appender.append(pixels.get("width").intValue());
        appender.append(pixels.get("channels").intValue());
        appender.append(java.util.Base64.getDecoder().decode(pixels.get("pixels").textValue()));
      }
    }
    if (numeric[0]) {
      appender.append(Double.parseDouble(row.prediction()));
    } else {
      appender.append(row.prediction());
    }
    if (row.groundTruth() == null) {
      appender.appendNull();
    } else if (numeric[1]) {
      appender.append(Double.parseDouble(row.groundTruth()));
    } else {
      appender.append(row.groundTruth());
    }
    appender.append(row.requestId());
    appender.append(row.modelVersion());
    appender.append(row.capturedAt().atOffset(ZoneOffset.UTC).toLocalDateTime());
    appender.endRow();
  }

  /**
   * An image instance as captured: its shape and its pixels (channel-major floats in [0, 1], as the
   * model reads them) as 8-bit pixels, row-major with channels interleaved, in base64.
   */
  static ObjectNode capturedImage(List<Integer> shape, float[] row) {
    int channels = shape.get(0);
    int height = shape.get(1);
    int width = shape.get(2);
    int plane = height * width;
    byte[] pixels = new byte[row.length];
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < plane && c * plane + p < row.length; p++) {
        float v = row[c * plane + p];
        long level = Math.round(Math.max(0f, Math.min(1f, v)) * 255.0);
        pixels[p * channels + c] = (byte) level;
      }
    }
    ObjectNode node = JSON.createObjectNode();
    node.put("height", height).put("width", width).put("channels", channels);
    node.put("pixels", java.util.Base64.getEncoder().encodeToString(pixels));
    return node;
  }

  private static boolean isNumber(String s) {
    try {
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("A captured row holds invalid JSON: " + e.getMessage(), e);
    }
  }

  /** Writes what is queued, then stops the writer. */
  @Override
  public void close() {
    stopped = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
