package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The outcome of checking one window of captured data against a baseline: per-feature statistics,
 * every check with its value, threshold and verdict, and the violations. A window that cannot be
 * checked (no rows, no baseline feature in it) gives status {@link Status#INVALID_INPUT} and says
 * why in {@code problems}, rather than failing.
 *
 * @param status the overall outcome
 * @param window what was checked (a file path or a caller-given name)
 * @param windowRows rows in the window
 * @param baselineDataset the dataset the baseline was computed from
 * @param problems why the window could not be checked (or only partly), for a person to read
 * @param schema how the window's columns differ from the baseline's
 * @param features one entry per baseline feature found in the window
 * @param violations everything that failed, data quality and drift
 * @param modelQuality the concept-drift check against posted ground truth; null when the
 *     constraints have none
 * @param rules the custom SQL rules, one result each
 */
public record DriftReport(
    Status status,
    String window,
    long windowRows,
    String baselineDataset,
    List<String> problems,
    SchemaDifference schema,
    List<FeatureReport> features,
    List<Violation> violations,
    ModelQualityResult modelQuality,
    List<RuleResult> rules) {

  public DriftReport {
    problems = List.copyOf(problems);
    features = List.copyOf(features);
    violations = List.copyOf(violations);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** The same report with other problems (e.g. a caller's explanation first). */
  public DriftReport withProblems(List<String> list) {
    return new DriftReport(
        status,
        window,
        windowRows,
        baselineDataset,
        list,
        schema,
        features,
        violations,
        modelQuality,
        rules);
  }

  /**
   * The model's quality on the window's rows with ground truth (concept drift).
   *
   * @param metric the metric
   * @param value its value on the labeled rows; null if the check did not run
   * @param baseline its value at evaluation
   * @param bound the worst acceptable value (baseline moved by the tolerance)
   * @param labeledRows rows with both a prediction and a ground truth
   * @param verdict pass, fail, or not run (too few labeled rows, a column missing)
   * @param detail a sentence for a person
   */
  public record ModelQualityResult(
      String metric,
      Double value,
      double baseline,
      double bound,
      long labeledRows,
      Verdict verdict,
      String detail) {}

  /**
   * One custom SQL rule over the window.
   *
   * @param name the rule
   * @param predicate its SQL predicate
   * @param failingRows rows where the predicate is false; null if the rule could not run
   * @param failingFraction their share of the window's rows; null if the rule could not run
   * @param maxFailingFraction the rule's allowance
   * @param verdict pass, fail, or not run (the SQL is invalid for this window: see detail)
   * @param detail a sentence for a person, or DuckDB's error
   */
  public record RuleResult(
      String name,
      String predicate,
      Long failingRows,
      Double failingFraction,
      double maxFailingFraction,
      Verdict verdict,
      String detail) {}

  /** The overall outcome of a check. */
  public enum Status {
    /** Every check passed. */
    @JsonProperty("ok")
    OK,
    /** At least one check failed; see the violations. */
    @JsonProperty("violations")
    VIOLATIONS,
    /** The window could not be checked; see the problems. */
    @JsonProperty("invalid_input")
    INVALID_INPUT
  }

  /**
   * The columns that differ between baseline and window.
   *
   * @param missingFromWindow baseline features the window lacks
   * @param notInBaseline window columns the baseline does not describe (informative only)
   * @param typeMismatches features whose window column holds another kind of value, as {@code name:
   *     baseline type -> window type}
   */
  public record SchemaDifference(
      List<String> missingFromWindow, List<String> notInBaseline, List<String> typeMismatches) {
    public SchemaDifference {
      missingFromWindow = List.copyOf(missingFromWindow);
      notInBaseline = List.copyOf(notInBaseline);
      typeMismatches = List.copyOf(typeMismatches);
    }
  }

  /**
   * One feature's statistics in the window and the checks run on it.
   *
   * @param name the feature
   * @param kind numeric or categorical (as in the baseline)
   * @param numeric the window's numeric statistics; null for categorical features
   * @param categorical the window's categorical statistics; null for numeric features
   * @param checks every check run on the feature
   */
  public record FeatureReport(
      String name,
      FeatureKind kind,
      NumericSummary numeric,
      CategoricalSummary categorical,
      List<CheckResult> checks) {
    public FeatureReport {
      checks = List.copyOf(checks);
    }
  }

  /** A check's verdict. */
  public enum Verdict {
    @JsonProperty("pass")
    PASS,
    @JsonProperty("fail")
    FAIL,
    /** The check could not run (e.g. the window has no values of the feature); see detail. */
    @JsonProperty("not_run")
    NOT_RUN
  }

  /**
   * One check on one feature.
   *
   * @param check what was checked: {@code completeness}, {@code type}, {@code range}, {@code
   *     categories}, or {@code drift:<method>} (e.g. {@code drift:psi})
   * @param value the measured value (completeness fraction, out-of-range count, unseen count, the
   *     drift statistic or p-value); null if the check did not run
   * @param threshold the constraint's threshold; null where the constraint is a set or a range
   * @param verdict pass, fail or not run
   * @param detail a sentence for a person, e.g. the KS statistic next to its p-value
   */
  public record CheckResult(
      String check, Double value, Double threshold, Verdict verdict, String detail) {}

  /** What kind of rule a violation broke (cf. Model Monitor's {@code constraint_check_type}). */
  public enum ViolationKind {
    @JsonProperty("missing_feature")
    MISSING_FEATURE,
    @JsonProperty("type_mismatch")
    TYPE_MISMATCH,
    @JsonProperty("completeness")
    COMPLETENESS,
    @JsonProperty("out_of_range")
    OUT_OF_RANGE,
    @JsonProperty("unseen_categories")
    UNSEEN_CATEGORIES,
    @JsonProperty("drift")
    DRIFT,
    /** The distribution of the model's predictions moved (drift of the prediction column). */
    @JsonProperty("prediction_drift")
    PREDICTION_DRIFT,
    /** The model's metric on posted ground truth fell beyond the tolerance (concept drift). */
    @JsonProperty("model_quality")
    MODEL_QUALITY,
    /** A custom SQL rule failed on more rows than it allows. */
    @JsonProperty("custom_rule")
    CUSTOM_RULE
  }

  /**
   * A broken rule.
   *
   * @param feature the feature concerned (the prediction column for model quality, the rule's name
   *     for a custom rule)
   * @param kind the rule
   * @param description what happened, with numbers
   */
  public record Violation(String feature, ViolationKind kind, String description) {}
}
