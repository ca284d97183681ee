package dev.lifecycle.activities.data;

import static dev.lifecycle.activities.data.DataActivitiesImpl.invalidData;

import dev.lifecycle.activities.data.FeatureTransform.Feature;
import dev.lifecycle.activities.data.FeatureTransform.Kind;
import dev.lifecycle.activities.data.FeatureTransform.Scaling;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a features step against its data and fits its transform on the training set: one-hot
 * categories, means and population standard deviations. Every problem found is reported at once.
 */
final class FeatureFitter {
  private FeatureFitter() {}

  /**
   * @param relations DuckDB relations of the {@code train}, {@code validation} and {@code test}
   *     sets, in that order
   */
  static FeatureTransform fit(Connection db, Features step, Map<String, String> relations)
      throws SQLException {
    if (step.label() == null || step.label().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "' names no label column", FailureTypes.INVALID_PLAN);
    }
    boolean allNumeric = step.standardize().contains(Features.ALL_NUMERIC);
    if (allNumeric && step.standardize().size() > 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "' standardises '*' (every numeric column) and named columns "
              + step.standardize()
              + ": use one or the other",
          FailureTypes.INVALID_PLAN);
    }
    String trainRelation = relations.get("train");
    List<DatasetColumn> columns = DuckDb.describe(db, trainRelation);
    checkSameColumns(db, step, columns, relations);
    if (DuckDb.count(db, trainRelation) == 0) {
      throw invalidData("Step '" + step.name() + "' got a training set without rows");
    }

    Map<String, String> types = new LinkedHashMap<>();
    columns.forEach(c -> types.put(c.name(), c.type()));
    List<String> problems = new ArrayList<>();
    checkNamed(step, types.keySet(), problems);
    if (!problems.isEmpty()) {
      throw invalidData(problemsMessage(step, problems));
    }

    // Which columns become which kind of feature, in the data's column order.
    Map<String, Kind> kinds = new LinkedHashMap<>();
    for (DatasetColumn column : columns) {
      String name = column.name();
      if (name.equals(step.label()) || step.drop().contains(name)) {
        continue;
      }
      boolean numeric = DuckDb.isNumeric(column.type());
      if (step.oneHot().contains(name)) {
        kinds.put(name, Kind.ONE_HOT);
      } else if (step.standardize().contains(name)) {
        if (!numeric) {
          problems.add(
              "column '"
                  + name
                  + "' ("
                  + column.type()
                  + ") cannot be standardised: it is not numeric. One-hot encode it or drop it");
        }
        kinds.put(name, Kind.STANDARDIZED);
      } else if (numeric) {
        kinds.put(name, allNumeric ? Kind.STANDARDIZED : Kind.NUMERIC);
      } else {
        problems.add(
            "column '"
                + name
                + "' ("
                + column.type()
                + ") is not numeric: list it in oneHot or in drop");
      }
    }
    if (kinds.isEmpty()) {
      problems.add("no feature columns remain besides the label '" + step.label() + "'");
    }
    if (!problems.isEmpty()) {
      throw invalidData(problemsMessage(step, problems));
    }

    List<String> used = new ArrayList<>(kinds.keySet());
    used.add(step.label());
    checkValues(db, step, used, types, relations, problems);
    if (!problems.isEmpty()) {
      throw invalidData(problemsMessage(step, problems));
    }

    Map<String, List<String>> categories = new LinkedHashMap<>();
    Map<String, Scaling> scaling = new LinkedHashMap<>();
    List<Feature> features = new ArrayList<>();
    for (Map.Entry<String, Kind> e : kinds.entrySet()) {
      String name = e.getKey();
      switch (e.getValue()) {
        case ONE_HOT -> {
          List<String> values = categories(db, step, trainRelation, name);
          categories.put(name, values);
          for (String value : values) {
            features.add(new Feature(name + "_" + value, name, Kind.ONE_HOT, value));
          }
        }
        case STANDARDIZED -> {
          scaling.put(name, scaling(db, step, trainRelation, name));
          features.add(new Feature(name, name, Kind.STANDARDIZED, null));
        }
        case NUMERIC -> features.add(new Feature(name, name, Kind.NUMERIC, null));
      }
    }
    checkOutputNames(step, features);
    return new FeatureTransform(
        FeatureTransform.FORMAT_VERSION,
        step.label(),
        types.get(step.label()),
        columns,
        categories,
        scaling,
        features);
  }

  /** E.g. {@code 10 features (Sex one-hot: F, I, M; 7 standardised), label Rings}. */
  static String summary(FeatureTransform transform) {
    List<String> parts = new ArrayList<>();
    transform
        .categories()
        .forEach(
            (column, values) ->
                parts.add(
                    column
                        + " one-hot: "
                        + (values.size() <= 8
                            ? String.join(", ", values)
                            : values.size() + " categories")));
    long standardized =
        transform.features().stream().filter(f -> f.kind() == Kind.STANDARDIZED).count();
    long numeric = transform.features().stream().filter(f -> f.kind() == Kind.NUMERIC).count();
    if (standardized > 0) {
      parts.add(standardized + " standardised");
    }
    if (numeric > 0) {
      parts.add(numeric + " numeric as is");
    }
    return transform.features().size()
        + " features ("
        + String.join("; ", parts)
        + "), label "
        + transform.label();
  }

  private static void checkSameColumns(
      Connection db, Features step, List<DatasetColumn> train, Map<String, String> relations)
      throws SQLException {
    for (Map.Entry<String, String> e : relations.entrySet()) {
      if (e.getKey().equals("train")) {
        continue;
      }
      List<DatasetColumn> other = DuckDb.describe(db, e.getValue());
      if (!other.equals(train)) {
        throw invalidData(
            "Step '"
                + step.name()
                + "': the "
                + e.getKey()
                + " set's columns "
                + other
                + " differ from the training set's "
                + train
                + "; all three sets must come from one split");
      }
    }
  }

  private static void checkNamed(Features step, Set<String> available, List<String> problems) {
    Map<String, List<String>> named = new LinkedHashMap<>();
    named.put("label", List.of(step.label()));
    named.put("oneHot", step.oneHot());
    named.put(
        "standardize",
        step.standardize().contains(Features.ALL_NUMERIC) ? List.of() : step.standardize());
    named.put("drop", step.drop());
    boolean missing = false;
    for (Map.Entry<String, List<String>> e : named.entrySet()) {
      for (String column : e.getValue()) {
        if (!available.contains(column)) {
          problems.add("column '" + column + "' (in " + e.getKey() + ") is not in the data");
          missing = true;
        }
      }
    }
    if (missing) {
      problems.add("the columns are " + available);
    }
    Set<String> seen = new HashSet<>();
    Map<String, String> role = new LinkedHashMap<>();
    for (Map.Entry<String, List<String>> e : named.entrySet()) {
      for (String column : new LinkedHashSet<>(e.getValue())) {
        if (!seen.add(column)) {
          problems.add(
              "column '"
                  + column
                  + "' is in both "
                  + role.get(column)
                  + " and "
                  + e.getKey()
                  + ": give each column one role");
        } else {
          role.put(column, e.getKey());
        }
      }
    }
  }

  /** NULLs, and NaN or infinite numbers, in any used column of any set. */
  private static void checkValues(
      Connection db,
      Features step,
      List<String> used,
      Map<String, String> types,
      Map<String, String> relations,
      List<String> problems)
      throws SQLException {
    List<String> aggregates = new ArrayList<>();
    for (String column : used) {
      String c = DuckDb.ident(column);
      aggregates.add("COUNT(*) - COUNT(" + c + ")");
      String type = types.get(column);
      aggregates.add(
          type.equals("DOUBLE") || type.equals("FLOAT")
              ? "COUNT(*) FILTER (WHERE NOT isfinite(" + c + "))"
              : "0");
    }
    for (Map.Entry<String, String> e : relations.entrySet()) {
      try (Statement s = db.createStatement();
          ResultSet r =
              s.executeQuery("SELECT " + String.join(", ", aggregates) + " FROM " + e.getValue())) {
        r.next();
        for (int i = 0; i < used.size(); i++) {
          long nulls = r.getLong(2 * i + 1);
          long nonFinite = r.getLong(2 * i + 2);
          if (nulls > 0) {
            problems.add(
                "column '"
                    + used.get(i)
                    + "' has "
                    + nulls
                    + " NULL value"
                    + (nulls == 1 ? "" : "s")
                    + " in the "
                    + e.getKey()
                    + " set");
          }
          if (nonFinite > 0) {
            problems.add(
                "column '"
                    + used.get(i)
                    + "' has "
                    + nonFinite
                    + " NaN or infinite value"
                    + (nonFinite == 1 ? "" : "s")
                    + " in the "
                    + e.getKey()
                    + " set");
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      problems.add("clean these values before this step, or drop the columns");
    }
  }

  private static List<String> categories(Connection db, Features step, String train, String column)
      throws SQLException {
    List<String> values = new ArrayList<>();
    String c = DuckDb.ident(column);
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT DISTINCT CAST("
                    + c
                    + " AS VARCHAR) FROM "
                    + train
                    + " WHERE "
                    + c
                    + " IS NOT NULL")) {
      while (r.next()) {
        values.add(r.getString(1));
      }
    }
    if (values.size() > DataActivitiesImpl.MAX_CATEGORIES) {
      throw invalidData(
          "Step '"
              + step.name()
              + "': column '"
              + column
              + "' has "
              + values.size()
              + " distinct values in the training set, more than the "
              + DataActivitiesImpl.MAX_CATEGORIES
              + " one-hot encoding allows; is it an identifier? Drop it");
    }
    // Sorted here rather than by SQL so that the order is Java's, which serving reproduces.
    values.sort(null);
    return values;
  }

  private static Scaling scaling(Connection db, Features step, String train, String column)
      throws SQLException {
    String x = "CAST(" + DuckDb.ident(column) + " AS DOUBLE)";
    try (Statement s = db.createStatement();
        ResultSet r =
            s.executeQuery("SELECT AVG(" + x + "), STDDEV_POP(" + x + ") FROM " + train)) {
      r.next();
      double mean = r.getDouble(1);
      double std = r.getDouble(2);
      if (!Double.isFinite(mean) || !Double.isFinite(std)) {
        throw invalidData(
            "Step '"
                + step.name()
                + "': column '"
                + column
                + "' has no finite mean and deviation in the training set (mean "
                + mean
                + ", deviation "
                + std
                + ")");
      }
      // A constant column carries no information; dividing by 1 keeps it at zero instead of NaN.
      return new Scaling(mean, std == 0 ? 1 : std);
    }
  }

  private static void checkOutputNames(Features step, List<Feature> features) {
    Set<String> names = new HashSet<>();
    names.add(step.label());
    List<String> clashes = new ArrayList<>();
    for (Feature f : features) {
      if (!names.add(f.name())) {
        clashes.add(f.name());
      }
    }
    if (!clashes.isEmpty()) {
      throw invalidData(
          "Step '"
              + step.name()
              + "' would create more than one column named "
              + clashes.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "))
              + " (one-hot columns are named <column>_<value>):"
              + " rename or drop the clashing column");
    }
  }

  private static String problemsMessage(Features step, List<String> problems) {
    return "Step '" + step.name() + "': " + String.join("; ", problems);
  }
}
