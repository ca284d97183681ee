package dev.lifecycle.activities.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression scores with scikit-learn's definitions: {@code mean_squared_error}, its root, {@code
 * mean_absolute_error} and {@code r2_score} (for a constant target, 1 when every prediction is
 * exact and 0 otherwise, as scikit-learn's default {@code force_finite=True}).
 *
 * <pre>{@code
 * RegressionMetrics m = RegressionMetrics.of(actual, predicted);
 * m.rmse();
 * }</pre>
 */
public record RegressionMetrics(long count, double mse, double rmse, double mae, double r2) {

  /**
   * Scores {@code predicted} against {@code actual}.
   *
   * @throws IllegalArgumentException when the arrays are empty or differ in length
   */
  public static RegressionMetrics of(double[] actual, double[] predicted) {
    requireSameNonEmpty(actual.length, predicted.length);
    int n = actual.length;
    double mean = 0;
    for (double y : actual) {
      mean += y;
    }
    mean /= n;
    double squared = 0;
    double absolute = 0;
    double total = 0;
    for (int i = 0; i < n; i++) {
      double error = actual[i] - predicted[i];
      squared += error * error;
      absolute += Math.abs(error);
      double spread = actual[i] - mean;
      total += spread * spread;
    }
    double r2;
    if (total != 0) {
      r2 = 1 - squared / total;
    } else {
      r2 = squared == 0 ? 1.0 : 0.0;
    }
    double mse = squared / n;
    return new RegressionMetrics(n, mse, Math.sqrt(mse), absolute / n, r2);
  }

  /** The metrics by their names in {@code Task.REGRESSION.metrics()}. */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("mse", mse);
    map.put("rmse", rmse);
    map.put("mae", mae);
    map.put("r2", r2);
    return map;
  }

  static void requireSameNonEmpty(int actual, int predicted) {
    if (actual != predicted) {
      throw new IllegalArgumentException(
          "Cannot score " + predicted + " predictions against " + actual + " labels");
    }
    if (actual == 0) {
      throw new IllegalArgumentException("Cannot score an empty set of predictions");
    }
  }
}
