package dev.lifecycle.worker.labeling;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.micronaut.http.HttpStatus;
import io.temporal.failure.ApplicationFailure;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import org.duckdb.DuckDBConnection;

/**
 * Reads an item's payload, row {@code key} of the job's dataset (Parquet in the artifact store),
 * with DuckDB: the fields a labeler sees, and for image datasets the image as PNG. Items' bytes are
 * never copied into the labeling store.
 */
@Singleton
public class ItemPayloads implements AutoCloseable {
  /** Columns never shown: they would give the answer away, or they are the pixels' shape. */
  private static final Set<String> HIDDEN =
      Set.of("label", "label_name", "file_row_number", "image", "height", "width", "channels");

  private final ArtifactStore artifacts;
  private final DuckDBConnection db;
  private final Map<Long, Path> files = new ConcurrentHashMap<>();

  ItemPayloads(LifecycleActivities activities) {
    this.artifacts = activities.artifacts();
    try {
      this.db = DriverManager.getConnection("jdbc:duckdb:").unwrap(DuckDBConnection.class);
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot open DuckDB to read labeling items", e);
    }
  }

  /** Item {@code key} of {@code job} as a labeler sees it. */
  public ItemView view(Job job, long key) {
    return read(
        job,
        key,
        row -> {
          ResultSetMetaData meta = row.getMetaData();
          Map<String, Object> fields = new LinkedHashMap<>();
          boolean image = false;
          String text = null;
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            String name = meta.getColumnName(c);
            if (name.equals(ParquetDataset.IMAGE) && meta.getColumnType(c) == Types.BLOB) {
              image = true;
            }
            if (HIDDEN.contains(name)) {
              continue;
            }
            Object value = row.getObject(c);
            if (name.equals("text") && value instanceof String s) {
              text = s;
              continue;
            }
            fields.put(name, plain(value));
          }
          String kind = image ? "image" : text != null ? "text" : "row";
          String url = image ? "/api/labeling/jobs/" + job.id() + "/items/" + key + "/image" : null;
          return new ItemView(key, kind, url, text, fields);
        });
  }

  /** Item {@code key}'s image as PNG; 404 when the job's dataset holds no images. */
  public byte[] png(Job job, long key) {
    return read(
        job,
        key,
        row -> {
          ResultSetMetaData meta = row.getMetaData();
          Map<String, Integer> columns = new LinkedHashMap<>();
          for (int c = 1; c <= meta.getColumnCount(); c++) {
            columns.put(meta.getColumnName(c), c);
          }
          if (!columns.containsKey(ParquetDataset.IMAGE)
              || !columns.containsKey(ParquetDataset.HEIGHT)
              || !columns.containsKey(ParquetDataset.WIDTH)) {
            throw new LabelingApiException(
                HttpStatus.NOT_FOUND,
                "Items of labeling job " + job.id() + " are not images",
                "item",
                key,
                null);
          }
          int height = row.getInt(ParquetDataset.HEIGHT);
          int width = row.getInt(ParquetDataset.WIDTH);
          int channels =
              columns.containsKey(ParquetDataset.CHANNELS)
                  ? row.getInt(ParquetDataset.CHANNELS)
                  : 1;
          java.sql.Blob blob = row.getBlob(ParquetDataset.IMAGE);
          byte[] pixels = blob == null ? null : blob.getBytes(1, Math.toIntExact(blob.length()));
          return encode(job, key, pixels, height, width, channels);
        });
  }

  private static byte[] encode(
      Job job, long key, byte[] pixels, int height, int width, int channels) {
    if (pixels == null
        || (channels != 1 && channels != 3)
        || (long) height * width * channels != pixels.length) {
      throw new LabelingApiException(
          HttpStatus.UNPROCESSABLE_ENTITY,
          "Item "
              + key
              + " of labeling job "
              + job.id()
              + " has an image of "
              + (pixels == null ? 0 : pixels.length)
              + " bytes, not height x width x channels = "
              + height
              + " x "
              + width
              + " x "
              + channels,
          "item",
          key,
          null);
    }
    BufferedImage image =
        new BufferedImage(
            width,
            height,
            channels == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    if (channels == 1) {
      // Raw samples: setRGB would pass grey through a colour-space conversion and shift values.
      image.getRaster().setDataElements(0, 0, width, height, pixels);
    } else {
      int[] rgb = new int[width * height];
      for (int p = 0; p < rgb.length; p++) {
        rgb[p] =
            ((pixels[3 * p] & 0xff) << 16)
                | ((pixels[3 * p + 1] & 0xff) << 8)
                | (pixels[3 * p + 2] & 0xff);
      }
      image.setRGB(0, 0, width, height, rgb, 0, width);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot encode item " + key + " as PNG", e);
    }
    return out.toByteArray();
  }

  @FunctionalInterface
  private interface RowReader<T> {
    T read(ResultSet row) throws SQLException;
  }

  private <T> T read(Job job, long key, RowReader<T> reader) {
    Path file = files.computeIfAbsent(job.id(), id -> datasetOf(job));
    if (!Files.isRegularFile(file)) {
      files.remove(job.id());
      throw new LabelingApiException(
          HttpStatus.NOT_FOUND,
          "The dataset of labeling job " + job.id() + " is gone from the artifact store: " + file,
          "job");
    }
    String sql =
        "SELECT * FROM read_parquet("
            + ParquetDataset.literal(file.toString())
            + ", file_row_number = true) WHERE file_row_number = "
            + key;
    try (Connection c = db.duplicate();
        Statement st = c.createStatement();
        ResultSet row = st.executeQuery(sql)) {
      if (!row.next()) {
        throw new LabelingApiException(
            HttpStatus.NOT_FOUND,
            "Labeling job " + job.id() + " has no item " + key + " in its dataset",
            "item",
            key,
            null);
      }
      return reader.read(row);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "Cannot read item "
              + key
              + " of labeling job "
              + job.id()
              + " from "
              + file
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /**
   * The job's dataset file, checked by the artifact store once (the job keeps the URI and hash, not
   * the size, so the size is read from the file the URI names).
   */
  private Path datasetOf(Job job) {
    try {
      long size = Files.size(Path.of(URI.create(job.datasetUri())));
      return artifacts.resolve(
          new ArtifactRef(
              job.datasetUri(), job.datasetSha256(), size, ValueType.DATASET, "parquet"));
    } catch (IllegalArgumentException | IOException | ApplicationFailure e) {
      throw new LabelingApiException(
          HttpStatus.NOT_FOUND,
          "The dataset of labeling job "
              + job.id()
              + " cannot be read from the artifact store ("
              + job.datasetUri()
              + "): "
              + e.getMessage(),
          "job");
    }
  }

  private static Object plain(Object value) {
    if (value == null
        || value instanceof String
        || value instanceof Boolean
        || value instanceof Long
        || value instanceof Integer
        || value instanceof Short
        || value instanceof Byte
        || value instanceof Double
        || value instanceof Float) {
      return value;
    }
    if (value instanceof byte[] bytes) {
      return bytes.length + " bytes";
    }
    return value.toString();
  }

  @PreDestroy
  @Override
  public void close() {
    try {
      db.close();
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot close DuckDB", e);
    }
  }
}
