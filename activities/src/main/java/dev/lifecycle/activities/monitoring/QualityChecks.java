package dev.lifecycle.activities.monitoring;

import dev.lifecycle.activities.evaluation.ClassScores;
import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import dev.lifecycle.activities.monitoring.DriftReport.ModelQualityResult;
import dev.lifecycle.activities.monitoring.DriftReport.RuleResult;
import dev.lifecycle.activities.monitoring.DriftReport.Verdict;
import dev.lifecycle.activities.monitoring.DriftReport.Violation;
import dev.lifecycle.activities.monitoring.DriftReport.ViolationKind;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The window-wide checks of a {@link DriftChecker}: model quality against posted ground truth
 * (concept drift) and custom SQL rules. Like the feature checks, they report bad input (a column
 * missing, too little ground truth, SQL that does not fit the window) rather than throw.
 */
final class QualityChecks {
  /** The table custom rules see: the window's rows. */
  static final String RULE_TABLE = "window_rows";

  private QualityChecks() {}

  /** Checks the model's metric on the rows of {@code window} that have ground truth. */
  static ModelQualityResult modelQuality(
      ModelQuality q, Window window, List<Violation> violations) {
    for (String column : List.of(q.predictionColumn(), q.groundTruthColumn())) {
      if (!window.columnTypes().containsKey(column)) {
        return notRun(
            q,
            0,
            "the window has no column '"
                + column
                + "', so model quality cannot be measured; window columns: "
                + window.columnTypes().keySet());
      }
    }
    boolean numeric =
        !q.classification()
            || (window.kindOf(q.predictionColumn()) == FeatureKind.NUMERIC
                && window.kindOf(q.groundTruthColumn()) == FeatureKind.NUMERIC);
    FeatureKind as = numeric ? FeatureKind.NUMERIC : FeatureKind.CATEGORICAL;
    ColumnValues predicted = window.read(q.predictionColumn(), as);
    ColumnValues actual = window.read(q.groundTruthColumn(), as);
    List<Integer> labeled = new ArrayList<>();
    for (int i = 0; i < predicted.size(); i++) {
      if (present(predicted, i) && present(actual, i)) {
        labeled.add(i);
      }
    }
    if (labeled.size() < q.minLabeledRows()) {
      return notRun(
          q,
          labeled.size(),
          labeled.size()
              + " of "
              + predicted.size()
              + " rows have both a prediction and a ground truth; "
              + q.minLabeledRows()
              + " are needed to measure "
              + q.metric());
    }
    double value =
        switch (q.metric()) {
          case "accuracy" -> confusion(predicted, actual, labeled, numeric).accuracy();
          case "f1_macro" ->
              ClassScores.of(confusion(predicted, actual, labeled, numeric)).macroF1();
          case "rmse" -> Math.sqrt(meanOf(predicted, actual, labeled, true));
          case "mae" -> meanOf(predicted, actual, labeled, false);
          default -> throw new IllegalStateException("unknown metric " + q.metric());
        };
    boolean worse = q.higherIsBetter() ? value < q.bound() : value > q.bound();
    String detail =
        String.format(
            Locale.ROOT,
            "%s %.6g on %d rows with ground truth; baseline %.6g, worst acceptable %.6g",
            q.metric(),
            value,
            labeled.size(),
            q.baseline(),
            q.bound());
    if (worse) {
      violations.add(
          new Violation(
              q.predictionColumn(),
              ViolationKind.MODEL_QUALITY,
              "Model quality fell (concept drift): " + detail));
    }
    return new ModelQualityResult(
        q.metric(),
        value,
        q.baseline(),
        q.bound(),
        labeled.size(),
        worse ? Verdict.FAIL : Verdict.PASS,
        detail);
  }

  private static ModelQualityResult notRun(ModelQuality q, long labeled, String detail) {
    return new ModelQualityResult(
        q.metric(), null, q.baseline(), q.bound(), labeled, Verdict.NOT_RUN, detail);
  }

  private static boolean present(ColumnValues c, int i) {
    return c.numbers() != null ? !Double.isNaN(c.numbers()[i]) : c.strings()[i] != null;
  }

  private static String label(ColumnValues c, int i, boolean numeric) {
    return numeric ? Double.toString(c.numbers()[i]) : c.strings()[i];
  }

  /**
   * The confusion matrix of the labeled rows over every label seen in either column, sorted: the
   * evaluation step's, so accuracy and macro F1 are scikit-learn's.
   */
  private static ConfusionMatrix confusion(
      ColumnValues predicted, ColumnValues actual, List<Integer> rows, boolean numeric) {
    List<String> p = new ArrayList<>(rows.size());
    List<String> a = new ArrayList<>(rows.size());
    for (int i : rows) {
      p.add(label(predicted, i, numeric));
      a.add(label(actual, i, numeric));
    }
    return ConfusionMatrix.of(a, p);
  }

  private static double meanOf(
      ColumnValues predicted, ColumnValues actual, List<Integer> rows, boolean squared) {
    double sum = 0;
    for (int i : rows) {
      double d = predicted.numbers()[i] - actual.numbers()[i];
      sum += squared ? d * d : Math.abs(d);
    }
    return sum / rows.size();
  }

  /**
   * Evaluates every rule over a copy of the window in a fresh in-memory DuckDB whose access to
   * files and the network is switched off once the copy is made, so a rule can read the window and
   * nothing else.
   */
  static List<RuleResult> rules(List<CustomRule> rules, Window window, List<Violation> violations) {
    if (rules.isEmpty()) {
      return List.of();
    }
    List<RuleResult> results = new ArrayList<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      window.copyTo(db, RULE_TABLE);
      try (Statement s = db.createStatement()) {
        s.execute("SET enable_external_access = false");
      }
      for (CustomRule rule : rules) {
        results.add(rule(db, rule, window.rows(), violations));
      }
    } catch (SQLException e) {
      for (CustomRule rule : rules) {
        results.add(
            notRun(
                rule, "the window cannot be loaded for SQL rules: " + firstLine(e.getMessage())));
      }
    }
    return results;
  }

  private static RuleResult rule(
      Connection db, CustomRule rule, long rows, List<Violation> violations) {
    String sql =
        "SELECT COUNT(*) FILTER (WHERE NOT (" + rule.predicate() + ")) FROM \"" + RULE_TABLE + "\"";
    long failing;
    try (Statement s = db.createStatement();
        ResultSet r = s.executeQuery(sql)) {
      r.next();
      failing = r.getLong(1);
    } catch (SQLException e) {
      return notRun(
          rule,
          "the predicate '"
              + rule.predicate()
              + "' cannot be evaluated over the window: "
              + firstLine(e.getMessage()));
    }
    double fraction = rows == 0 ? 0 : (double) failing / rows;
    boolean violated = fraction > rule.maxFailingFraction();
    String detail =
        String.format(
            Locale.ROOT,
            "%d of %d rows fail '%s' (%.4f; allowed %.4f)",
            failing,
            rows,
            rule.predicate(),
            fraction,
            rule.maxFailingFraction());
    if (violated) {
      violations.add(
          new Violation(
              rule.name(), ViolationKind.CUSTOM_RULE, "Rule '" + rule.name() + "': " + detail));
    }
    return new RuleResult(
        rule.name(),
        rule.predicate(),
        failing,
        fraction,
        rule.maxFailingFraction(),
        violated ? Verdict.FAIL : Verdict.PASS,
        detail);
  }

  private static RuleResult notRun(CustomRule rule, String detail) {
    return new RuleResult(
        rule.name(),
        rule.predicate(),
        null,
        null,
        rule.maxFailingFraction(),
        Verdict.NOT_RUN,
        detail);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
