package dev.lifecycle.activities.data;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The image dataset being written: table {@code data} in an in-memory DuckDB, filled row by row
 * through an appender (so pixels never pile up on the Java heap), then copied to Parquet.
 *
 * <p>The schema every image dataset follows, column by column in this order:
 *
 * <ul>
 *   <li>{@code source_index BIGINT}: the item's index in the IDX file, or the file's position in
 *       the folder's sorted order;
 *   <li>{@code file VARCHAR}: the image file's path relative to the folder, with {@code /} (folder
 *       ingests only);
 *   <li>{@code label BIGINT}: the class index (labelled data only);
 *   <li>{@code label_name VARCHAR}: the class's name, i.e. its sub-folder (labelled folders only);
 *   <li>{@code height INTEGER}, {@code width INTEGER}: the image's size in pixels;
 *   <li>{@code channels INTEGER}: 1 for greyscale, 3 for RGB;
 *   <li>{@code image BLOB}: the pixels as unsigned bytes, row-major, height × width × channels
 *       bytes, RGB interleaved when channels is 3.
 * </ul>
 */
final class ImageTable implements AutoCloseable {
  /**
   * Rows per Parquet row group: about 6 MB of 28×28 images, so that a reader streaming the dataset
   * in batches holds one small group at a time rather than the whole file.
   */
  static final int ROW_GROUP_SIZE = 8192;

  private final Connection db;
  private final boolean files;
  private final boolean labels;
  private final boolean labelNames;
  private final DuckDBAppender appender;
  private long rows;

  /**
   * Creates table {@code data} with the optional columns asked for.
   *
   * @param files whether rows carry a {@code file} column
   * @param labels whether rows carry a {@code label} column
   * @param labelNames whether rows carry a {@code label_name} column (needs labels)
   */
  ImageTable(Connection db, boolean files, boolean labels, boolean labelNames) throws SQLException {
    this.db = db;
    this.files = files;
    this.labels = labels;
    this.labelNames = labelNames && labels;
    List<String> columns = new ArrayList<>();
    columns.add("source_index BIGINT NOT NULL");
    if (files) {
      columns.add("file VARCHAR NOT NULL");
    }
    if (labels) {
      columns.add("label BIGINT NOT NULL");
    }
    if (this.labelNames) {
      columns.add("label_name VARCHAR NOT NULL");
    }
    columns.add("height INTEGER NOT NULL");
    columns.add("width INTEGER NOT NULL");
    columns.add("channels INTEGER NOT NULL");
    columns.add("image BLOB NOT NULL");
    DuckDb.execute(db, "CREATE TABLE data (" + String.join(", ", columns) + ")");
    this.appender = db.unwrap(DuckDBConnection.class).createAppender("main", "data");
  }

  /**
   * Appends one image; {@code file}, {@code label} and {@code labelName} are ignored unless the
   * table has those columns.
   */
  void append(
      long sourceIndex,
      String file,
      int label,
      String labelName,
      int height,
      int width,
      int channels,
      byte[] pixels)
      throws SQLException {
    appender.beginRow().append(sourceIndex);
    if (files) {
      appender.append(file);
    }
    if (labels) {
      appender.append((long) label);
    }
    if (labelNames) {
      appender.append(labelName);
    }
    appender.append(height).append(width).append(channels).append(pixels).endRow();
    rows++;
  }

  long rows() {
    return rows;
  }

  /**
   * Flushes the rows and writes them to {@code file} in insertion order. Options are spelled out,
   * as in {@link DuckDb#toParquet}, so that a change of DuckDB's defaults cannot change a dataset's
   * bytes.
   */
  void writeParquet(Path file) throws SQLException {
    // close() flushes too, but swallows what the flush throws.
    appender.flush();
    appender.close();
    DuckDb.execute(
        db,
        "COPY data TO "
            + DuckDb.literal(file.toString())
            + " (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE "
            + ROW_GROUP_SIZE
            + ")");
  }

  @Override
  public void close() throws SQLException {
    appender.close();
  }
}
