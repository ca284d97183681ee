package dev.lifecycle.activities.store;

import java.util.List;
import java.util.Locale;

/** Whether a smaller or a larger value of a metric is better. */
public enum MetricDirection {
  MIN,
  MAX;

  /** Name parts of metrics where smaller is better. */
  static final List<String> SMALLER_IS_BETTER =
      List.of("loss", "error", "rmse", "mse", "mae", "mape", "perplexity", "latency", "time");

  /**
   * The direction of {@code metric} by its name: {@link #MIN} when one of its {@code _}-separated
   * parts (or the whole name) is one of {@link #SMALLER_IS_BETTER} ({@code validation_loss}, {@code
   * rmse}, {@code error}), else {@link #MAX} ({@code accuracy}, {@code f1}, {@code auc}, {@code
   * r2}).
   */
  public static MetricDirection infer(String metric) {
    for (String part : metric.toLowerCase(Locale.ROOT).split("[_\\-.]")) {
      if (SMALLER_IS_BETTER.contains(part)) {
        return MIN;
      }
    }
    return MAX;
  }

  /**
   * Parses {@code min} or {@code max} (any case).
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static MetricDirection parse(String value) {
    for (MetricDirection d : values()) {
      if (d.name().equalsIgnoreCase(value)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "Unknown metric direction '" + value + "'. Directions: min, max");
  }

  /** Whether {@code candidate} beats {@code best} in this direction. */
  boolean better(double candidate, double best) {
    return this == MIN ? candidate < best : candidate > best;
  }
}
