package dev.lifecycle.dsl.plan;

import java.util.Objects;

/**
 * A metric an earlier step produces, e.g. {@code rmse} of the evaluate step.
 *
 * @param step the producing step, or {@code null} to let the compiler pick the one earlier step
 *     that produces the metric
 * @param metric the metric name
 */
public record MetricRef(String step, String metric) implements Operand {
  public MetricRef {
    Objects.requireNonNull(metric, "metric");
  }

  @Override
  public String describe() {
    return step == null ? "metric('" + metric + "')" : "metric('" + step + "." + metric + "')";
  }
}
