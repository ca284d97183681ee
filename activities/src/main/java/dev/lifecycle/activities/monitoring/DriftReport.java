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
 */
public record DriftReport(
    Status status,
    String window,
    long windowRows,
    String baselineDataset,
    List<String> problems,
    SchemaDifference schema,
    List<FeatureReport> features,
    List<Violation> violations) {

  public DriftReport {
    problems = List.copyOf(problems);
    features = List.copyOf(features);
    violations = List.copyOf(violations);
  }

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
    DRIFT
  }

  /**
   * A broken rule.
   *
   * @param feature the feature concerned
   * @param kind the rule
   * @param description what happened, with numbers
   */
  public record Violation(String feature, ViolationKind kind, String description) {}
}
