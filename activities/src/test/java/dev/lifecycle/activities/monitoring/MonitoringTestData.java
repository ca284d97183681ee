package dev.lifecycle.activities.monitoring;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Small abalone-like datasets for the baseline and checker tests, written as Parquet by DuckDB. */
final class MonitoringTestData {
  static final String[] SEXES = {"M", "F", "I"};

  private MonitoringTestData() {}

  /**
   * Rows like abalone's: {@code Length} normal around {@code 0.5 + shift} (every 50th missing),
   * {@code Rings} integers 3..20, {@code Sex} one of M/F/I.
   */
  static List<Map<String, Object>> rows(int n, long seed, double shift) {
    Random random = new Random(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("Length", i % 50 == 49 ? null : 0.5 + shift + 0.1 * random.nextGaussian());
      row.put("Rings", (long) (3 + random.nextInt(18)));
      row.put("Sex", SEXES[random.nextInt(SEXES.length)]);
      rows.add(row);
    }
    return rows;
  }

  /** Writes rows with columns Length DOUBLE, Rings BIGINT, Sex VARCHAR. */
  static Path writeParquet(Path file, List<Map<String, Object>> rows) throws SQLException {
    return writeParquet(
        file, "Length DOUBLE, Rings BIGINT, Sex VARCHAR", List.of("Length", "Rings", "Sex"), rows);
  }

  /** Writes rows under a given table definition (column names in {@code columns}). */
  static Path writeParquet(
      Path file, String tableDefinition, List<String> columns, List<Map<String, Object>> rows)
      throws SQLException {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute("CREATE TABLE t (" + tableDefinition + ")");
      String marks = String.join(", ", columns.stream().map(c -> "?").toList());
      try (PreparedStatement insert = db.prepareStatement("INSERT INTO t VALUES (" + marks + ")")) {
        for (Map<String, Object> row : rows) {
          for (int i = 0; i < columns.size(); i++) {
            insert.setObject(i + 1, row.get(columns.get(i)));
          }
          insert.addBatch();
        }
        insert.executeBatch();
      }
      s.execute("COPY t TO '" + file.toString().replace("'", "''") + "' (FORMAT parquet)");
    }
    return file;
  }
}
