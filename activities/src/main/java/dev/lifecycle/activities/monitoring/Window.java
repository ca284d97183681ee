package dev.lifecycle.activities.monitoring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A window of captured data to check: its columns and their values, from Parquet or from rows. */
interface Window extends AutoCloseable {
  String name();

  long rows();

  /** Column name to a description of its type (DuckDB's type name, or the Java value types). */
  Map<String, String> columnTypes();

  /** The monitoring kind of a column, or null if it holds neither numbers nor categories. */
  FeatureKind kindOf(String column);

  ColumnValues read(String column, FeatureKind as);

  /** False for a column that holds only missing values, so that its kind cannot be told. */
  default boolean hasValues(String column) {
    return true;
  }

  /**
   * Copies the window into table {@code table} of {@code db} (numeric columns as DOUBLE, others as
   * VARCHAR for row windows; the file's own types for Parquet windows).
   */
  void copyTo(java.sql.Connection db, String table) throws java.sql.SQLException;

  @Override
  void close();

  /** A Parquet window read through DuckDB. */
  static Window of(ParquetColumns parquet, String name) {
    return new Window() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long rows() {
        return parquet.rows();
      }

      @Override
      public Map<String, String> columnTypes() {
        return parquet.types();
      }

      @Override
      public FeatureKind kindOf(String column) {
        return ParquetColumns.kindOf(parquet.types().get(column));
      }

      @Override
      public ColumnValues read(String column, FeatureKind as) {
        return parquet.read(column, as);
      }

      @Override
      public void copyTo(java.sql.Connection db, String table) throws java.sql.SQLException {
        try (java.sql.Statement s = db.createStatement()) {
          s.execute(
              "CREATE TABLE "
                  + table
                  + " AS SELECT * FROM read_parquet('"
                  + parquet.file().toString().replace("'", "''")
                  + "')");
        }
      }

      @Override
      public void close() {
        parquet.close();
      }
    };
  }

  /**
   * Rows as maps from column name to value: numbers ({@link Number}) for numeric features, strings
   * or booleans for categorical ones, null or an absent key for a missing value. A value of the
   * other kind is a type mismatch, counted and treated as missing.
   */
  static Window of(List<? extends Map<String, ?>> rows, String name) {
    Map<String, int[]> kinds = new LinkedHashMap<>();
    for (Map<String, ?> row : rows) {
      row.forEach(
          (k, v) -> {
            int[] counts = kinds.computeIfAbsent(k, x -> new int[3]);
            if (v instanceof Number) {
              counts[0]++;
            } else if (v instanceof String || v instanceof Boolean) {
              counts[1]++;
            } else if (v != null) {
              counts[2]++;
            }
          });
    }
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, FeatureKind> observed = new LinkedHashMap<>();
    kinds.forEach(
        (column, c) -> {
          List<String> parts = new ArrayList<>();
          if (c[0] > 0) {
            parts.add("numbers");
          }
          if (c[1] > 0) {
            parts.add("strings");
          }
          if (c[2] > 0) {
            parts.add("other values");
          }
          types.put(column, parts.isEmpty() ? "nulls" : String.join(" and ", parts));
          FeatureKind kind =
              c[0] == 0 && c[1] == 0
                  ? null
                  : c[0] >= c[1] ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
          observed.put(column, kind);
        });
    return new Window() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public long rows() {
        return rows.size();
      }

      @Override
      public Map<String, String> columnTypes() {
        return types;
      }

      @Override
      public FeatureKind kindOf(String column) {
        return observed.get(column);
      }

      @Override
      public boolean hasValues(String column) {
        return !types.get(column).equals("nulls");
      }

      @Override
      public ColumnValues read(String column, FeatureKind as) {
        int n = rows.size();
        long mismatches = 0;
        String example = null;
        double[] numbers = as == FeatureKind.NUMERIC ? new double[n] : null;
        String[] strings = as == FeatureKind.CATEGORICAL ? new String[n] : null;
        for (int i = 0; i < n; i++) {
          Object v = rows.get(i).get(column);
          boolean fits =
              v == null
                  || (as == FeatureKind.NUMERIC
                      ? v instanceof Number
                      : v instanceof String || v instanceof Boolean);
          if (!fits) {
            mismatches++;
            if (example == null) {
              example = String.valueOf(v);
            }
            v = null;
          }
          if (numbers != null) {
            numbers[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
          } else {
            strings[i] = v == null ? null : v.toString();
          }
        }
        return new ColumnValues(
            column, types.get(column), observed.get(column), numbers, strings, mismatches, example);
      }

      @Override
      public void copyTo(java.sql.Connection db, String table) throws java.sql.SQLException {
        List<String> columns = new ArrayList<>(types.keySet());
        if (columns.isEmpty()) {
          throw new java.sql.SQLException("the window has no columns");
        }
        List<String> definitions = new ArrayList<>();
        for (String column : columns) {
          definitions.add(
              quote(column)
                  + (observed.get(column) == FeatureKind.NUMERIC ? " DOUBLE" : " VARCHAR"));
        }
        try (java.sql.Statement s = db.createStatement()) {
          s.execute("CREATE TABLE " + table + " (" + String.join(", ", definitions) + ")");
        }
        String marks = String.join(", ", java.util.Collections.nCopies(columns.size(), "?"));
        try (java.sql.PreparedStatement insert =
            db.prepareStatement("INSERT INTO " + table + " VALUES (" + marks + ")")) {
          for (Map<String, ?> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
              String column = columns.get(i);
              Object v = row.get(column);
              if (observed.get(column) == FeatureKind.NUMERIC) {
                insert.setObject(i + 1, v instanceof Number n ? n.doubleValue() : null);
              } else {
                insert.setObject(i + 1, v == null || v instanceof Number ? null : v.toString());
              }
            }
            insert.addBatch();
          }
          insert.executeBatch();
        }
      }

      @Override
      public void close() {}
    };
  }

  /** {@code name} as a quoted SQL identifier. */
  static String quote(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
