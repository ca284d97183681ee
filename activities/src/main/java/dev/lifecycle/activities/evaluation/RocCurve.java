package dev.lifecycle.activities.evaluation;

import java.util.Arrays;

/**
 * A receiver operating characteristic curve, as scikit-learn 1.2's {@code roc_curve} with {@code
 * drop_intermediate=True}: rows with equal scores share one threshold; points collinear with their
 * neighbours are dropped; the first threshold is the highest score plus 1 (no row predicted
 * positive) at (0, 0).
 *
 * <p>Unlike scikit-learn, which warns and returns NaN rates, a curve over rows of one class only is
 * refused: one of its axes would be undefined.
 *
 * <pre>{@code
 * RocCurve roc = RocCurve.of(isPositive, scores);
 * roc.auc();
 * }</pre>
 *
 * @param falsePositiveRates increasing false positive rates, one per threshold
 * @param truePositiveRates increasing true positive rates, one per threshold
 * @param thresholds decreasing scores: point {@code i} predicts positive when {@code score >=
 *     thresholds[i]}
 */
public record RocCurve(
    double[] falsePositiveRates, double[] truePositiveRates, double[] thresholds) {

  /**
   * The curve of {@code scores} for telling {@code positive} rows from the others.
   *
   * @throws IllegalArgumentException when empty, of different lengths, a score is not finite, or
   *     every row is of the same class
   */
  public static RocCurve of(boolean[] positive, double[] scores) {
    ThresholdCounts counts = ThresholdCounts.of(positive, scores);
    requireBothClasses(counts, "A ROC curve");
    long[] fps = counts.falsePositives();
    long[] tps = counts.truePositives();
    double[] thresholds = counts.thresholds();
    int m = fps.length;
    int[] kept = new int[m];
    int size = 0;
    for (int i = 0; i < m; i++) {
      // scikit-learn keeps a point when the second difference of fps or tps is non-zero there.
      boolean corner =
          m <= 2
              || i == 0
              || i == m - 1
              || fps[i + 1] - 2 * fps[i] + fps[i - 1] != 0
              || tps[i + 1] - 2 * tps[i] + tps[i - 1] != 0;
      if (corner) {
        kept[size++] = i;
      }
    }
    double[] fpr = new double[size + 1];
    double[] tpr = new double[size + 1];
    double[] at = new double[size + 1];
    double negatives = counts.negatives();
    double positives = counts.positives();
    at[0] = thresholds[kept[0]] + 1;
    for (int j = 0; j < size; j++) {
      int i = kept[j];
      fpr[j + 1] = fps[i] / negatives;
      tpr[j + 1] = tps[i] / positives;
      at[j + 1] = thresholds[i];
    }
    return new RocCurve(fpr, tpr, at);
  }

  static void requireBothClasses(ThresholdCounts counts, String what) {
    long rows = counts.positives() + counts.negatives();
    if (counts.positives() == 0 || counts.negatives() == 0) {
      throw new IllegalArgumentException(
          what
              + " needs positive and negative rows, but all "
              + rows
              + " rows are "
              + (counts.positives() == 0 ? "negative" : "positive")
              + " (scikit-learn: only one class present in y_true)");
    }
  }

  /** The area under the curve by the trapezoidal rule, as scikit-learn's {@code auc}. */
  public double auc() {
    return trapezoid(falsePositiveRates, truePositiveRates);
  }

  static double trapezoid(double[] x, double[] y) {
    double area = 0;
    for (int i = 1; i < x.length; i++) {
      area += (x[i] - x[i - 1]) * (y[i] + y[i - 1]) / 2.0;
    }
    return area;
  }

  /** The number of points. */
  public int size() {
    return thresholds.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RocCurve other
        && Arrays.equals(falsePositiveRates, other.falsePositiveRates)
        && Arrays.equals(truePositiveRates, other.truePositiveRates)
        && Arrays.equals(thresholds, other.thresholds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(thresholds) * 31 + Arrays.hashCode(truePositiveRates);
  }

  @Override
  public String toString() {
    return "RocCurve[" + size() + " points, auc " + auc() + "]";
  }
}
