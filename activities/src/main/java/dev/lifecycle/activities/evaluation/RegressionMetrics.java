package dev.lifecycle.activities.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regression scores with scikit-learn 1.2's definitions: {@code mean_squared_error}, its root,
 * {@code mean_absolute_error} and {@code r2_score}. For a constant target, R² is 1 when every
 * prediction is exact and 0 otherwise ({@code force_finite=True}); with one row it is NaN, as
 * scikit-learn returns (with a warning) because R² is undefined there.
 *
 * <pre>{@code
 * RegressionMetrics m = RegressionMetrics.of(actual, predicted);
 * m.rmse();
 * }</pre>
 *
 * @param count rows scored
 * @param mse mean squared error
 * @param rmse square root of {@code mse}
 * @param mae mean absolute error
 * @param r2 coefficient of determination
 */
public record RegressionMetrics(long count, double mse, double rmse, double mae, double r2) {

  /**
   * Scores {@code predicted} against {@code actual}.
   *
   * @throws IllegalArgumentException when the arrays are empty, differ in length, or hold a value
   *     that is not finite (naming the array and index)
   */
  public static RegressionMetrics of(double[] actual, double[] predicted) {
    MetricInputs.requireSameNonEmpty("actual", actual.length, "predicted", predicted.length);
    MetricInputs.requireFinite("actual", actual);
    MetricInputs.requireFinite("predicted", predicted);
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
    if (n < 2) {
      r2 = Double.NaN;
    } else if (squared == 0) {
      r2 = 1.0;
    } else if (total == 0) {
      r2 = 0.0;
    } else {
      r2 = 1 - squared / total;
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
}
