package dev.lifecycle.activities.evaluation;

import java.util.Arrays;

/**
 * scikit-learn's {@code _binary_clf_curve}: for each distinct score, from the highest down, the
 * false and true positives among the rows scoring at least that much. Rows with equal scores fall
 * on one threshold together, which is how ties are handled everywhere downstream.
 */
record ThresholdCounts(long[] falsePositives, long[] truePositives, double[] thresholds) {

  static ThresholdCounts of(boolean[] positive, double[] scores) {
    MetricInputs.requireSameNonEmpty("positive", positive.length, "scores", scores.length);
    MetricInputs.requireFinite("scores", scores);
    int n = scores.length;
    double[] normalised = new double[n];
    for (int i = 0; i < n; i++) {
      // numpy compares -0.0 and 0.0 as equal, so they must tie here too.
      normalised[i] = scores[i] + 0.0;
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(normalised[b], normalised[a]));
    long[] fps = new long[n];
    long[] tps = new long[n];
    double[] thresholds = new double[n];
    int distinct = 0;
    long tp = 0;
    for (int i = 0; i < n; i++) {
      int row = order[i];
      tp += positive[row] ? 1 : 0;
      boolean lastOfTie = i == n - 1 || normalised[order[i + 1]] != normalised[row];
      if (lastOfTie) {
        tps[distinct] = tp;
        fps[distinct] = i + 1 - tp;
        thresholds[distinct] = normalised[row];
        distinct++;
      }
    }
    return new ThresholdCounts(
        Arrays.copyOf(fps, distinct),
        Arrays.copyOf(tps, distinct),
        Arrays.copyOf(thresholds, distinct));
  }

  long positives() {
    return truePositives[truePositives.length - 1];
  }

  long negatives() {
    return falsePositives[falsePositives.length - 1];
  }
}
