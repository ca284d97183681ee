package dev.lifecycle.activities.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A feature transform fitted on a training set: which raw columns become which model inputs. The
 * features step writes it as a JSON artifact and applies it to train, validation and test with
 * DuckDB; serving applies the same object to one raw row with {@link #apply(Map)}, so a model sees
 * at serving time exactly what it saw in training.
 *
 * <pre>{@code
 * FeatureTransform t = FeatureTransform.fromJson(Files.readString(path));
 * float[] x = t.apply(Map.of("Sex", "M", "Length", 0.455, ...));
 * }</pre>
 *
 * @param formatVersion {@link #FORMAT_VERSION} of the JSON layout
 * @param label the label column, passed through unchanged after the features
 * @param labelType the label's DuckDB type
 * @param inputColumns every column of the training set as fitted, with its DuckDB type
 * @param categories per one-hot column, its categories: the distinct non-null values in train as
 *     text, sorted; a value not among them encodes as all zeros
 * @param scaling per standardised column, the training mean and population standard deviation (a
 *     zero deviation is stored as 1)
 * @param features the output feature columns, in order (the label is not among them)
 */
public record FeatureTransform(
    int formatVersion,
    String label,
    String labelType,
    List<DatasetColumn> inputColumns,
    Map<String, List<String>> categories,
    Map<String, Scaling> scaling,
    List<Feature> features) {

  /** The JSON layout this class reads and writes. */
  public static final int FORMAT_VERSION = 1;

  public FeatureTransform {
    Objects.requireNonNull(label, "label");
    inputColumns = List.copyOf(inputColumns);
    Map<String, List<String>> cats = new LinkedHashMap<>();
    categories.forEach((column, values) -> cats.put(column, List.copyOf(values)));
    categories = java.util.Collections.unmodifiableMap(cats);
    scaling = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scaling));
    features = List.copyOf(features);
    if (formatVersion != FORMAT_VERSION) {
      throw new IllegalArgumentException(
          "Feature transform format "
              + formatVersion
              + " is not readable by this Lifecycle, which reads format "
              + FORMAT_VERSION);
    }
    Set<String> names = new HashSet<>();
    for (Feature f : features) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("Two features are named '" + f.name() + "'");
      }
      switch (f.kind()) {
        case ONE_HOT -> {
          List<String> known = categories.get(f.source());
          if (known == null || !known.contains(f.category())) {
            throw new IllegalArgumentException(
                "Feature '" + f.name() + "' encodes a category its column's categories lack");
          }
        }
        case STANDARDIZED -> {
          if (!scaling.containsKey(f.source())) {
            throw new IllegalArgumentException(
                "Feature '" + f.name() + "' is standardised but has no mean and deviation");
          }
        }
        case NUMERIC -> {}
      }
    }
  }

  /** How an output feature is computed from its source column. */
  public enum Kind {
    /** 1 when the source's text equals the category, else 0. */
    ONE_HOT,
    /** (value - mean) / std. */
    STANDARDIZED,
    /** The value as a number. */
    NUMERIC
  }

  /**
   * One output feature.
   *
   * @param name the output column, e.g. {@code Sex_M} or {@code Length}
   * @param source the raw column it is computed from
   * @param kind how
   * @param category for {@link Kind#ONE_HOT}, the category it flags; otherwise null
   */
  public record Feature(String name, String source, Kind kind, String category) {
    public Feature {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.ONE_HOT) != (category != null)) {
        throw new IllegalArgumentException(
            "Feature '" + name + "': a category is required for one-hot features and only there");
      }
    }
  }

  /**
   * Mean and standard deviation of a standardised column on the training set.
   *
   * @param mean the mean
   * @param std the population standard deviation, never 0
   */
  public record Scaling(double mean, double std) {
    public Scaling {
      if (!Double.isFinite(mean) || !Double.isFinite(std) || std == 0) {
        throw new IllegalArgumentException(
            "Scaling needs a finite mean and a finite non-zero deviation, got "
                + mean
                + ", "
                + std);
      }
    }
  }

  /** The names of the feature columns, in order. */
  public List<String> featureNames() {
    return features.stream().map(Feature::name).toList();
  }

  /** The columns of a transformed dataset: the features, then the label. */
  public List<String> outputColumns() {
    List<String> columns = new ArrayList<>(featureNames());
    columns.add(label);
    return columns;
  }

  /**
   * The feature vector of one raw row, computed as the features step computed its datasets.
   *
   * @param row raw values by column name: numbers (or numeric text) for numeric columns, any value
   *     for one-hot columns (compared as text); other keys, such as the label, are ignored
   * @throws IllegalArgumentException naming the column when one is missing, null or not a number
   */
  public float[] apply(Map<String, ?> row) {
    float[] vector = new float[features.size()];
    for (int i = 0; i < vector.length; i++) {
      Feature f = features.get(i);
      Object value = row.get(f.source());
      if (value == null) {
        throw new IllegalArgumentException(
            row.containsKey(f.source())
                ? "Column '" + f.source() + "' is null; the transform needs a value"
                : "The row has no column '"
                    + f.source()
                    + "'. The transform reads "
                    + sources()
                    + "; the row has "
                    + row.keySet());
      }
      vector[i] =
          switch (f.kind()) {
            case ONE_HOT -> f.category().equals(text(value)) ? 1f : 0f;
            case NUMERIC -> (float) number(f.source(), value);
            case STANDARDIZED -> {
              Scaling s = scaling.get(f.source());
              yield (float) ((number(f.source(), value) - s.mean()) / s.std());
            }
          };
    }
    return vector;
  }

  /** Whether {@code column} is one-hot encoded (a category) rather than read as a number. */
  public boolean isCategorical(String column) {
    return categories.containsKey(column);
  }

  /** The DuckDB type {@code column} had in the training set, e.g. {@code VARCHAR}, or null. */
  public String sourceType(String column) {
    return inputColumns.stream()
        .filter(c -> c.name().equals(column))
        .map(DatasetColumn::type)
        .findFirst()
        .orElse(null);
  }

  /** Whether a DuckDB type, such as {@link #sourceType}'s, holds numbers. */
  public static boolean isNumericType(String type) {
    return type != null && DuckDb.isNumeric(type);
  }

  /** The raw columns the features are computed from, in order of first use. */
  public List<String> sources() {
    return features.stream().map(Feature::source).distinct().toList();
  }

  /** This transform as JSON (keys in a stable order, so equal transforms give equal bytes). */
  public String toJson() {
    try {
      return PlanJson.lenient().writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write the feature transform as JSON", e);
    }
  }

  /**
   * Reads a transform file written from {@link #toJson()} (the features step's {@code transform}
   * artifact).
   *
   * @throws IllegalArgumentException naming the file when it is not a feature transform
   * @throws java.io.UncheckedIOException when it cannot be read
   */
  public static FeatureTransform read(java.nio.file.Path file) {
    String json;
    try {
      json = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("Cannot read the feature transform " + file, e);
    }
    try {
      return fromJson(json);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads a transform written by {@link #toJson()}.
   *
   * @throws IllegalArgumentException when the JSON is not a feature transform
   */
  public static FeatureTransform fromJson(String json) {
    try {
      return PlanJson.lenient().readValue(json, FeatureTransform.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Not a feature transform: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Writes the rows of the Parquet file {@code input} (raw rows: the transform's source columns,
   * the label optionally, other columns ignored) to {@code output} as Parquet, transformed exactly
   * as the features step transformed its datasets: the feature columns, then the label when {@code
   * input} has it. DuckDB streams the rows, spilling to {@code scratch}, so any size fits.
   *
   * @param description how errors name the input, e.g. {@code dataset 'dataset' of step 'predict'}
   * @return the number of rows written
   * @throws ApplicationFailure of type {@link FailureTypes#INVALID_DATA} naming every missing
   *     column, every column that should hold numbers and does not, and every column with NULL, NaN
   *     or infinite values
   */
  public long applyToParquet(Path input, Path output, Path scratch, String description) {
    try (Connection db = DuckDb.open(scratch)) {
      String relation = DuckDb.readParquet(input);
      Map<String, String> types = new LinkedHashMap<>();
      DuckDb.describe(db, relation).forEach(c -> types.put(c.name(), c.type()));
      List<String> problems = new ArrayList<>();
      for (String source : sources()) {
        String type = types.get(source);
        if (type == null) {
          problems.add("column '" + source + "' is missing");
        } else if (!isCategorical(source) && !DuckDb.isNumeric(type)) {
          problems.add(
              "column '" + source + "' is " + type + " but the transform reads numbers from it");
        }
      }
      if (problems.isEmpty()) {
        checkValues(db, relation, types, problems);
      }
      if (!problems.isEmpty()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "The "
                + description
                + " cannot go through the feature transform: "
                + String.join("; ", problems)
                + ". The transform reads "
                + sources()
                + "; the data has "
                + types.keySet(),
            FailureTypes.INVALID_DATA);
      }
      DuckDb.toParquet(
          db, "SELECT " + selectList(types.containsKey(label)) + " FROM " + relation, output);
      return DuckDb.count(db, relation);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "DuckDB failed transforming the " + description + ": " + e.getMessage(), e);
    }
  }

  /** NULLs in any source column, NaN or infinite values in floating-point ones. */
  private void checkValues(
      Connection db, String relation, Map<String, String> types, List<String> problems)
      throws SQLException {
    List<String> sources = sources();
    List<String> aggregates = new ArrayList<>();
    for (String source : sources) {
      String c = DuckDb.ident(source);
      String type = types.get(source).toUpperCase(java.util.Locale.ROOT);
      aggregates.add("COUNT(*) - COUNT(" + c + ")");
      aggregates.add(
          type.equals("DOUBLE") || type.equals("FLOAT")
              ? "COUNT(*) FILTER (WHERE NOT isfinite(" + c + "))"
              : "0");
    }
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM " + relation)) {
      r.next();
      for (int i = 0; i < sources.size(); i++) {
        long nulls = r.getLong(2 * i + 1);
        long nonFinite = r.getLong(2 * i + 2);
        if (nulls > 0) {
          problems.add("column '" + sources.get(i) + "' has " + nulls + " NULL value(s)");
        }
        if (nonFinite > 0) {
          problems.add(
              "column '" + sources.get(i) + "' has " + nonFinite + " NaN or infinite value(s)");
        }
      }
    }
  }

  /** The SQL select list that computes the output columns from a relation of raw rows. */
  String selectList() {
    return selectList(true);
  }

  /** The feature columns, then the label when {@code withLabel}. */
  private String selectList(boolean withLabel) {
    List<String> expressions = new ArrayList<>();
    for (Feature f : features) {
      String column = DuckDb.ident(f.source());
      String expression =
          switch (f.kind()) {
            case ONE_HOT ->
                "CASE WHEN CAST("
                    + column
                    + " AS VARCHAR) = "
                    + DuckDb.literal(f.category())
                    + " THEN CAST(1 AS DOUBLE) ELSE CAST(0 AS DOUBLE) END";
            case NUMERIC -> "CAST(" + column + " AS DOUBLE)";
            case STANDARDIZED -> {
              Scaling s = scaling.get(f.source());
              yield "(CAST("
                  + column
                  + " AS DOUBLE) - "
                  + DuckDb.doubleLiteral(s.mean())
                  + ") / "
                  + DuckDb.doubleLiteral(s.std());
            }
          };
      expressions.add(expression + " AS " + DuckDb.ident(f.name()));
    }
    if (withLabel) {
      expressions.add(DuckDb.ident(label));
    }
    return String.join(", ", expressions);
  }

  private static String text(Object value) {
    return value instanceof String s ? s : String.valueOf(value);
  }

  private static double number(String column, Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof String s) {
      try {
        return Double.parseDouble(s.strip());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "Column '" + column + "' must be a number, got '" + s + "'", e);
      }
    }
    throw new IllegalArgumentException(
        "Column '"
            + column
            + "' must be a number, got "
            + value.getClass().getSimpleName()
            + " '"
            + value
            + "'");
  }
}
