package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import dev.lifecycle.activities.monitoring.FeatureConstraints.Range;
import dev.lifecycle.activities.monitoring.FeatureStatistics.Histogram;
import dev.lifecycle.dsl.plan.PlanFormatException;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Computes baselines from training data and reads and writes them as {@code statistics.json} and
 * {@code constraints.json}, pretty-printed so that a person can read and edit them. Constraints are
 * read strictly: a misspelt field fails with its name, line and column, and values that make no
 * sense (completeness above 1, a drift method for the wrong kind of feature) fail naming the
 * feature. Statistics are machine-written and read leniently, so that a newer writer's extra fields
 * do not break an older reader.
 */
public final class Baselines {
  /** The file name of the statistics in a baseline directory. */
  public static final String STATISTICS_FILE = "statistics.json";

  /** The file name of the constraints in a baseline directory. */
  public static final String CONSTRAINTS_FILE = "constraints.json";

  private static final ObjectMapper STRICT = PlanJson.strict();
  private static final ObjectMapper LENIENT = PlanJson.lenient();

  private Baselines() {}

  /**
   * Computes the baseline of a Parquet dataset (typically a pipeline's training data).
   *
   * @throws IllegalArgumentException if the file cannot be read, has no rows, or a requested
   *     feature is missing or of a type that cannot be monitored (the message names it)
   */
  public static Baseline compute(Path parquet, BaselineOptions options) {
    Path file = parquet.toAbsolutePath().normalize();
    try (ParquetColumns data = new ParquetColumns(file, "baseline")) {
      if (data.rows() == 0) {
        throw new IllegalArgumentException(
            "The baseline dataset '" + file + "' has no rows: a baseline needs training data");
      }
      Map<String, FeatureKind> features = selectFeatures(file, data.types(), options);
      List<FeatureStatistics> statistics = new ArrayList<>();
      List<FeatureConstraints> constraints = new ArrayList<>();
      double[] quantiles =
          NumericSummary.DEFAULT_QUANTILES.stream().mapToDouble(Double::doubleValue).toArray();
      for (Map.Entry<String, FeatureKind> f : features.entrySet()) {
        ColumnValues column = data.read(f.getKey(), f.getValue());
        FeatureStatistics stats = statisticsOf(column, f.getValue(), quantiles, options);
        statistics.add(stats);
        constraints.add(suggest(stats, options));
      }
      return new Baseline(
          new BaselineStatistics(
              BaselineStatistics.VERSION, file.toString(), data.rows(), statistics),
          new BaselineConstraints(BaselineStatistics.VERSION, options.bins(), constraints));
    }
  }

  private static Map<String, FeatureKind> selectFeatures(
      Path file, Map<String, String> types, BaselineOptions options) {
    Map<String, FeatureKind> out = new LinkedHashMap<>();
    if (!options.features().isEmpty()) {
      for (String name : options.features()) {
        String type = types.get(name);
        if (type == null) {
          throw new IllegalArgumentException(
              "Feature '"
                  + name
                  + "' is not a column of the baseline dataset '"
                  + file
                  + "'. Columns: "
                  + types.keySet());
        }
        FeatureKind kind = ParquetColumns.kindOf(type);
        if (kind == null) {
          throw new IllegalArgumentException(
              "Feature '"
                  + name
                  + "' has type "
                  + type
                  + ", which cannot be monitored: only numbers, strings and booleans can");
        }
        out.put(name, kind);
      }
      return out;
    }
    Set<String> exclude = new HashSet<>(options.exclude());
    for (String name : exclude) {
      if (!types.containsKey(name)) {
        throw new IllegalArgumentException(
            "Excluded column '"
                + name
                + "' is not a column of '"
                + file
                + "'. Columns: "
                + types.keySet());
      }
    }
    types.forEach(
        (name, type) -> {
          FeatureKind kind = ParquetColumns.kindOf(type);
          if (kind != null && !exclude.contains(name)) {
            out.put(name, kind);
          }
        });
    if (out.isEmpty()) {
      throw new IllegalArgumentException(
          "The baseline dataset '"
              + file
              + "' has no numeric or categorical column to monitor: "
              + types);
    }
    return out;
  }

  static FeatureStatistics statisticsOf(
      ColumnValues column, FeatureKind kind, double[] quantiles, BaselineOptions options) {
    if (kind == FeatureKind.NUMERIC) {
      double[] values = column.numbers();
      NumericSummary summary = NumericSummary.of(column.name(), values, quantiles);
      Histogram histogram = null;
      if (summary.count() > 0) {
        double[] cuts = DriftStatistics.quantileCuts(column.name(), values, options.bins());
        histogram =
            new Histogram(
                Arrays.stream(cuts).boxed().toList(),
                Arrays.stream(DriftStatistics.histogram(cuts, values)).boxed().toList());
      }
      return new FeatureStatistics(
          column.name(), kind, column.columnType(), summary, histogram, null);
    }
    CategoricalSummary summary =
        CategoricalSummary.of(Arrays.asList(column.strings()), options.maxCategories());
    return new FeatureStatistics(column.name(), kind, column.columnType(), null, null, summary);
  }

  private static FeatureConstraints suggest(FeatureStatistics stats, BaselineOptions options) {
    if (stats.kind() == FeatureKind.NUMERIC) {
      NumericSummary s = stats.numeric();
      Range range = null;
      if (s.count() > 0) {
        double span = s.max() - s.min();
        double margin =
            options.rangeMargin() * (span > 0 ? span : Math.max(1.0, Math.abs(s.min())));
        range = new Range(s.min() - margin, s.max() + margin);
      }
      return new FeatureConstraints(
          stats.name(),
          FeatureKind.NUMERIC,
          s.completeness(),
          range,
          null,
          s.count() > 0 ? options.numericDrift() : List.of());
    }
    CategoricalSummary s = stats.categorical();
    List<String> known =
        s.truncated()
            ? null
            : s.categories().stream()
                .map(CategoricalSummary.CategoryCount::value)
                .sorted()
                .toList();
    return new FeatureConstraints(
        stats.name(),
        FeatureKind.CATEGORICAL,
        s.completeness(),
        null,
        known,
        s.count() > 0 ? options.categoricalDrift() : List.of());
  }

  /** {@code statistics.json} as pretty-printed JSON. */
  public static String toJson(BaselineStatistics statistics) {
    return write(statistics);
  }

  /** {@code constraints.json} as pretty-printed JSON. */
  public static String toJson(BaselineConstraints constraints) {
    return write(constraints);
  }

  private static String write(Object value) {
    try {
      return STRICT.writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads {@code statistics.json}.
   *
   * @throws BaselineFormatException naming the field, line and column of what is wrong
   */
  public static BaselineStatistics readStatistics(String json) {
    BaselineStatistics statistics;
    try {
      statistics = LENIENT.readValue(json, BaselineStatistics.class);
    } catch (JsonProcessingException e) {
      throw formatError(STATISTICS_FILE, json, e);
    }
    if (statistics == null || statistics.features() == null) {
      throw new BaselineFormatException(STATISTICS_FILE + ": no features");
    }
    checkVersion(STATISTICS_FILE, statistics.version());
    return statistics;
  }

  /**
   * Reads {@code constraints.json} strictly and checks that its values make sense.
   *
   * @throws BaselineFormatException naming the field, line and column of an unknown or malformed
   *     field, or the feature whose constraint is invalid
   */
  public static BaselineConstraints readConstraints(String json) {
    BaselineConstraints constraints;
    try {
      constraints = STRICT.readValue(json, BaselineConstraints.class);
    } catch (JsonProcessingException e) {
      throw formatError(CONSTRAINTS_FILE, json, e);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new BaselineFormatException(CONSTRAINTS_FILE + ": " + e.getMessage(), e);
    }
    if (constraints == null) {
      throw new BaselineFormatException(CONSTRAINTS_FILE + ": empty");
    }
    checkVersion(CONSTRAINTS_FILE, constraints.version());
    List<String> problems = new ArrayList<>();
    if (constraints.bins() < 2) {
      problems.add("bins must be at least 2, got " + constraints.bins());
    }
    Set<String> seen = new HashSet<>();
    for (FeatureConstraints f : constraints.features()) {
      String where = "feature '" + f.name() + "'";
      if (!seen.add(f.name())) {
        problems.add(where + " appears twice");
      }
      if (!(f.completeness() >= 0 && f.completeness() <= 1)) {
        problems.add(where + ": completeness must be within [0, 1], got " + f.completeness());
      }
      if (f.range() != null) {
        if (f.kind() != FeatureKind.NUMERIC) {
          problems.add(where + ": a range applies to numeric features only");
        } else if (!(f.range().min() <= f.range().max())) {
          problems.add(
              where + ": range min " + f.range().min() + " is above max " + f.range().max());
        }
      }
      if (f.knownCategories() != null && f.kind() != FeatureKind.CATEGORICAL) {
        problems.add(where + ": knownCategories apply to categorical features only");
      }
      for (DriftCheck check : f.drift()) {
        String method = check.method().jsonName();
        if (!check.method().appliesTo(f.kind())) {
          problems.add(
              where
                  + ": drift method '"
                  + method
                  + "' does not apply to a "
                  + f.kind().name().toLowerCase(java.util.Locale.ROOT)
                  + " feature");
        }
        if (!(check.threshold() >= 0) || Double.isInfinite(check.threshold())) {
          problems.add(where + ": the threshold of '" + method + "' must be a number >= 0");
        } else if (check.method().isPValue() && check.threshold() > 1) {
          problems.add(
              where + ": the threshold of '" + method + "' is a p-value and must be within [0, 1]");
        }
      }
    }
    checkPredictionAndQuality(constraints, seen, problems);
    checkRules(constraints.rules(), problems);
    if (!problems.isEmpty()) {
      throw new BaselineFormatException(
          CONSTRAINTS_FILE + " is invalid: " + String.join("; ", problems));
    }
    return constraints;
  }

  private static void checkPredictionAndQuality(
      BaselineConstraints constraints, Set<String> features, List<String> problems) {
    String prediction = constraints.predictionColumn();
    if (prediction != null && !features.contains(prediction)) {
      problems.add("predictionColumn '" + prediction + "' is not one of the features " + features);
    }
    ModelQuality quality = constraints.modelQuality();
    if (quality == null) {
      return;
    }
    if (!ModelQuality.METRICS.contains(quality.metric())) {
      problems.add(
          "modelQuality: unknown metric '"
              + quality.metric()
              + "'; known metrics: "
              + ModelQuality.METRICS);
    }
    if (!Double.isFinite(quality.baseline())) {
      problems.add("modelQuality: baseline must be a finite number");
    }
    if (!(quality.tolerance() >= 0) || Double.isInfinite(quality.tolerance())) {
      problems.add("modelQuality: tolerance must be a finite number >= 0");
    }
    if (quality.minLabeledRows() < 1) {
      problems.add("modelQuality: minLabeledRows must be at least 1");
    }
  }

  private static void checkRules(List<CustomRule> rules, List<String> problems) {
    Set<String> names = new HashSet<>();
    for (CustomRule rule : rules) {
      String where = "rule '" + rule.name() + "'";
      if (rule.name().isBlank()) {
        problems.add("a rule has an empty name");
      } else if (!names.add(rule.name())) {
        problems.add(where + " appears twice");
      }
      if (rule.predicate().isBlank()) {
        problems.add(where + ": the predicate is empty");
      } else if (rule.predicate().contains(";")) {
        problems.add(where + ": the predicate must be one SQL expression, without ';'");
      }
      if (!(rule.maxFailingFraction() >= 0 && rule.maxFailingFraction() <= 1)) {
        problems.add(
            where + ": maxFailingFraction must be within [0, 1], got " + rule.maxFailingFraction());
      }
    }
  }

  private static BaselineFormatException formatError(
      String file, String json, JsonProcessingException e) {
    return new BaselineFormatException(
        file + ": " + PlanFormatException.from(e, json).getMessage(), e);
  }

  private static void checkVersion(String file, int version) {
    if (version != BaselineStatistics.VERSION) {
      throw new BaselineFormatException(
          file
              + " has version "
              + version
              + " but this Lifecycle reads version "
              + BaselineStatistics.VERSION);
    }
  }

  /** Writes {@code statistics.json} and {@code constraints.json} into {@code directory}. */
  public static void write(Baseline baseline, Path directory) {
    try {
      Files.createDirectories(directory);
      Files.writeString(
          directory.resolve(STATISTICS_FILE),
          toJson(baseline.statistics()),
          StandardCharsets.UTF_8);
      Files.writeString(
          directory.resolve(CONSTRAINTS_FILE),
          toJson(baseline.constraints()),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the baseline to '" + directory + "'", e);
    }
  }

  /**
   * Reads a baseline directory, checking that every constrained feature has statistics.
   *
   * @throws BaselineFormatException if a file is invalid or the two files disagree
   */
  public static Baseline read(Path directory) {
    BaselineStatistics statistics = readStatistics(readFile(directory.resolve(STATISTICS_FILE)));
    BaselineConstraints constraints =
        readConstraints(readFile(directory.resolve(CONSTRAINTS_FILE)));
    Set<String> known =
        statistics.features().stream().map(FeatureStatistics::name).collect(Collectors.toSet());
    List<String> unknown =
        constraints.features().stream()
            .map(FeatureConstraints::name)
            .filter(n -> !known.contains(n))
            .toList();
    if (!unknown.isEmpty()) {
      throw new BaselineFormatException(
          CONSTRAINTS_FILE
              + " constrains features "
              + unknown
              + " that "
              + STATISTICS_FILE
              + " does not describe. Features there: "
              + known.stream().sorted().toList());
    }
    for (FeatureConstraints c : constraints.features()) {
      FeatureStatistics s = statistics.feature(c.name()).orElseThrow();
      if (s.kind() != c.kind()) {
        throw new BaselineFormatException(
            CONSTRAINTS_FILE
                + ": feature '"
                + c.name()
                + "' is "
                + c.kind()
                + " but "
                + STATISTICS_FILE
                + " says "
                + s.kind());
      }
    }
    return new Baseline(statistics, constraints);
  }

  private static String readFile(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read baseline file '" + file + "'", e);
    }
  }
}
