package dev.lifecycle.activities.evaluation;

import java.util.Arrays;

/**
 * Precision and recall at every distinct score, as scikit-learn 1.2's {@code
 * precision_recall_curve}: one point per distinct score, in increasing threshold order, and a last
 * point (precision 1, recall 0) with no threshold.
 *
 * <p>Unlike scikit-learn, which warns and sets every recall to 1, a curve without positive rows is
 * refused: recall is undefined there.
 *
 * <pre>{@code
 * PrecisionRecallCurve pr = PrecisionRecallCurve.of(isPositive, scores);
 * pr.averagePrecision();
 * }</pre>
 *
 * @param precisions one more than the thresholds; the last is 1
 * @param recalls decreasing, one more than the thresholds; the last is 0
 * @param thresholds increasing distinct scores: point {@code i} predicts positive when {@code score
 *     >= thresholds[i]}
 */
public record PrecisionRecallCurve(double[] precisions, double[] recalls, double[] thresholds) {

  /**
   * The curve of {@code scores} for finding the {@code positive} rows.
   *
   * @throws IllegalArgumentException when empty, of different lengths, a score is not finite, or no
   *     row is positive
   */
  public static PrecisionRecallCurve of(boolean[] positive, double[] scores) {
    ThresholdCounts counts = ThresholdCounts.of(positive, scores);
    if (counts.positives() == 0) {
      throw new IllegalArgumentException(
          "A precision-recall curve needs positive rows, but all "
              + counts.negatives()
              + " rows are negative");
    }
    long[] fps = counts.falsePositives();
    long[] tps = counts.truePositives();
    int m = tps.length;
    double[] precision = new double[m + 1];
    double[] recall = new double[m + 1];
    double[] thresholds = new double[m];
    double positives = counts.positives();
    for (int i = 0; i < m; i++) {
      int reversed = m - 1 - i;
      // Every threshold has at least its own row above it, so tps + fps is never zero.
      precision[reversed] = (double) tps[i] / (tps[i] + fps[i]);
      recall[reversed] = tps[i] / positives;
      thresholds[reversed] = counts.thresholds()[i];
    }
    precision[m] = 1;
    recall[m] = 0;
    return new PrecisionRecallCurve(precision, recall, thresholds);
  }

  /**
   * The step-wise area under the curve, {@code sum((R[n] - R[n+1]) * P[n])}, as scikit-learn's
   * {@code average_precision_score} (no interpolation).
   */
  public double averagePrecision() {
    double sum = 0;
    for (int i = 0; i + 1 < recalls.length; i++) {
      sum += (recalls[i + 1] - recalls[i]) * precisions[i];
    }
    return -sum;
  }

  /** The number of points, including the last one without threshold. */
  public int size() {
    return precisions.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrecisionRecallCurve other
        && Arrays.equals(precisions, other.precisions)
        && Arrays.equals(recalls, other.recalls)
        && Arrays.equals(thresholds, other.thresholds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(thresholds) * 31 + Arrays.hashCode(precisions);
  }

  @Override
  public String toString() {
    return "PrecisionRecallCurve[" + size() + " points, ap " + averagePrecision() + "]";
  }
}
