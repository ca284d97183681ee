package dev.lifecycle.activities.labeling.consensus;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How {@link UncertaintySampling} splits a scored batch.
 *
 * <pre>{@code
 * SamplingOptions.of(UncertaintyMeasure.ENTROPY, 500).withAutoLabelThreshold(0.95);
 * }</pre>
 *
 * @param measure the uncertainty that orders items for people
 * @param autoLabelThreshold when present, items whose top class probability is at least this are
 *     labelled by the model; in (0, 1]
 * @param budget the most items sent to people from this batch, most uncertain first; at least 0
 */
public record SamplingOptions(
    UncertaintyMeasure measure, OptionalDouble autoLabelThreshold, int budget) {

  /** Checks the ranges. */
  public SamplingOptions {
    Objects.requireNonNull(measure, "measure");
    Objects.requireNonNull(autoLabelThreshold, "autoLabelThreshold");
    autoLabelThreshold.ifPresent(
        t -> {
          if (!(t > 0 && t <= 1)) {
            throw new IllegalArgumentException("autoLabelThreshold must be in (0, 1], got " + t);
          }
        });
    if (budget < 0) {
      throw new IllegalArgumentException("budget must be at least 0, got " + budget);
    }
  }

  /** Without auto-labeling. */
  public static SamplingOptions of(UncertaintyMeasure measure, int budget) {
    return new SamplingOptions(measure, OptionalDouble.empty(), budget);
  }

  /** These options, auto-labeling items whose top probability is at least {@code threshold}. */
  public SamplingOptions withAutoLabelThreshold(double threshold) {
    return new SamplingOptions(measure, OptionalDouble.of(threshold), budget);
  }
}
