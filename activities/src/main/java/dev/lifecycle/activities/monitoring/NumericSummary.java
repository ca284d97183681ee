package dev.lifecycle.activities.monitoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Summary statistics of a numeric feature, as in Model Monitor's {@code statistics.json}. Missing
 * values (null or NaN) are counted in {@code missing} and left out of everything else. {@code std}
 * is the population standard deviation (NumPy's default, {@code ddof=0}); quantiles use NumPy's
 * default linear interpolation ({@link DriftStatistics#quantile}). With no values present, the
 * moments, extremes and quantiles are absent (null).
 *
 * @param count values present
 * @param missing values missing
 * @param mean arithmetic mean of the values present
 * @param std population standard deviation
 * @param min smallest value
 * @param max largest value
 * @param quantiles the requested quantiles, in the order requested
 */
public record NumericSummary(
    long count,
    long missing,
    Double mean,
    Double std,
    Double min,
    Double max,
    List<Quantile> quantiles) {

  /** Default quantiles reported in statistics. */
  public static final List<Double> DEFAULT_QUANTILES =
      List.of(0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99);

  public NumericSummary {
    quantiles = quantiles == null ? List.of() : List.copyOf(quantiles);
  }

  /**
   * One quantile of the values present.
   *
   * @param q the probability, within [0, 1]
   * @param value the value at {@code q}
   */
  public record Quantile(double q, double value) {}

  /**
   * Summarises {@code values} (NaN is missing).
   *
   * @throws IllegalArgumentException naming the feature if a value is infinite or a quantile is
   *     outside [0, 1]
   */
  public static NumericSummary of(String feature, double[] values, double[] quantiles) {
    double[] present = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    long missing = values.length - present.length;
    if (present.length == 0) {
      return new NumericSummary(0, missing, null, null, null, null, List.of());
    }
    for (double v : present) {
      if (Double.isInfinite(v)) {
        throw new IllegalArgumentException(
            "Feature '" + feature + "' holds an infinite value (" + v + ")");
      }
    }
    Arrays.sort(present);
    double sum = 0;
    for (double v : present) {
      sum += v;
    }
    double mean = sum / present.length;
    double squares = 0;
    for (double v : present) {
      squares += (v - mean) * (v - mean);
    }
    double std = Math.sqrt(squares / present.length);
    List<Quantile> qs = new ArrayList<>();
    for (double q : quantiles) {
      qs.add(new Quantile(q, DriftStatistics.quantile(present, q)));
    }
    return new NumericSummary(
        present.length, missing, mean, std, present[0], present[present.length - 1], qs);
  }

  /** The fraction of values present, 1 for no values at all. */
  public double completeness() {
    long total = count + missing;
    return total == 0 ? 1.0 : (double) count / total;
  }
}
