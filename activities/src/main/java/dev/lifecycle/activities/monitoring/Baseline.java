package dev.lifecycle.activities.monitoring;

import java.util.Objects;

/**
 * A monitoring baseline: statistics of the training data and the constraints suggested from them
 * (written as {@code statistics.json} and {@code constraints.json} by {@link Baselines}).
 *
 * @param statistics what the training data looked like
 * @param constraints what a window of captured data must satisfy
 */
public record Baseline(BaselineStatistics statistics, BaselineConstraints constraints) {
  public Baseline {
    Objects.requireNonNull(statistics, "statistics");
    Objects.requireNonNull(constraints, "constraints");
  }
}
