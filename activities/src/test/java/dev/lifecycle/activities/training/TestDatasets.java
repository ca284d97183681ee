package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Random;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** Writes small Parquet datasets for tests, the way the features step lays them out. */
public final class TestDatasets {
  private TestDatasets() {}

  /** The synthetic regression target: {@code 3 x0 - 2 x1 + 0.5 x2 + 1}. */
  public static double linear(double[] x) {
    return 3 * x[0] - 2 * x[1] + 0.5 * x[2] + 1;
  }

  /**
   * {@code rows} rows of three standard-normal features {@code x0..x2} and a DOUBLE label {@code y
   * = linear(x) + N(0, noise)}, stored as a dataset.
   */
  public static ArtifactRef regression(
      ArtifactStore store, Path tmp, String name, int rows, double noise, long seed)
      throws SQLException {
    Random random = new Random(seed);
    double[][] x = new double[rows][3];
    double[] y = new double[rows];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 3; c++) {
        x[r][c] = random.nextGaussian();
      }
      y[r] = linear(x[r]) + noise * random.nextGaussian();
    }
    return write(store, tmp, name, List.of("x0", "x1", "x2"), x, "y", "DOUBLE", y, null);
  }

  /**
   * {@code rows} rows of two features and a VARCHAR label: {@code "inner"} when the point lies
   * within radius 1 of the origin, {@code "left"} or {@code "right"} by the sign of {@code x0}.
   */
  public static ArtifactRef classification(
      ArtifactStore store, Path tmp, String name, int rows, long seed) throws SQLException {
    Random random = new Random(seed);
    double[][] x = new double[rows][2];
    String[] y = new String[rows];
    for (int r = 0; r < rows; r++) {
      x[r][0] = random.nextGaussian() * 1.5;
      x[r][1] = random.nextGaussian() * 1.5;
      double radius = Math.hypot(x[r][0], x[r][1]);
      y[r] = radius < 1 ? "inner" : x[r][0] < 0 ? "left" : "right";
    }
    return write(store, tmp, name, List.of("a", "b"), x, "kind", "VARCHAR", null, y);
  }

  /** Runs {@code sql} (which must produce a table) and stores the result as a Parquet dataset. */
  public static ArtifactRef fromSql(ArtifactStore store, Path tmp, String name, String sql)
      throws SQLException {
    Path file = tmp.resolve(name + ".parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute("COPY (" + sql + ") TO '" + file + "' (FORMAT parquet)");
    }
    return store.put(file, ValueType.DATASET, "parquet");
  }

  private static ArtifactRef write(
      ArtifactStore store,
      Path tmp,
      String name,
      List<String> features,
      double[][] x,
      String label,
      String labelType,
      double[] numericLabels,
      String[] stringLabels)
      throws SQLException {
    Path file = tmp.resolve(name + ".parquet");
    try (DuckDBConnection c = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:")) {
      StringBuilder ddl = new StringBuilder("CREATE TABLE t (");
      for (String f : features) {
        ddl.append('"').append(f).append("\" DOUBLE, ");
      }
      ddl.append('"').append(label).append("\" ").append(labelType).append(')');
      try (Statement st = c.createStatement()) {
        st.execute(ddl.toString());
      }
      try (DuckDBAppender appender = c.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "t")) {
        for (int r = 0; r < x.length; r++) {
          appender.beginRow();
          for (double v : x[r]) {
            appender.append(v);
          }
          if (numericLabels != null) {
            appender.append(numericLabels[r]);
          } else {
            appender.append(stringLabels[r]);
          }
          appender.endRow();
        }
      }
      try (Statement st = c.createStatement()) {
        st.execute("COPY t TO '" + file + "' (FORMAT parquet)");
      }
    }
    return store.put(file, ValueType.DATASET, "parquet");
  }
}
