package dev.lifecycle.activities.monitoring;

import java.util.Locale;
import java.util.Objects;

/**
 * The model-quality constraint of {@code constraints.json} (concept drift): the model's metric on
 * the captured rows whose ground truth has been posted, against the value it had at evaluation.
 *
 * @param metric {@code accuracy} or {@code f1_macro} (classification; labels compared as text, or
 *     as numbers when both columns hold numbers), {@code rmse} or {@code mae} (regression)
 * @param baseline the metric's value when the model was evaluated
 * @param tolerance how much worse than {@code baseline} the window may be before it is a violation
 * @param predictionColumn the window's column with the model's prediction
 * @param groundTruthColumn the window's column with the posted ground truth (missing where none)
 * @param minLabeledRows below this many rows with ground truth the check does not run
 */
public record ModelQuality(
    String metric,
    double baseline,
    double tolerance,
    String predictionColumn,
    String groundTruthColumn,
    int minLabeledRows) {

  /** The metrics this constraint knows. */
  public static final java.util.List<String> METRICS =
      java.util.List.of("accuracy", "f1_macro", "rmse", "mae");

  public ModelQuality {
    Objects.requireNonNull(metric, "metric");
    metric = metric.toLowerCase(Locale.ROOT);
    predictionColumn = predictionColumn == null ? "prediction" : predictionColumn;
    groundTruthColumn = groundTruthColumn == null ? "ground_truth" : groundTruthColumn;
  }

  /** Whether a larger value of the metric is better. */
  public boolean higherIsBetter() {
    return metric.equals("accuracy") || metric.equals("f1_macro");
  }

  /** Whether the metric compares labels (classification) rather than numbers. */
  public boolean classification() {
    return higherIsBetter();
  }

  /** The worst acceptable value: the baseline moved by the tolerance in the bad direction. */
  public double bound() {
    return higherIsBetter() ? baseline - tolerance : baseline + tolerance;
  }
}
