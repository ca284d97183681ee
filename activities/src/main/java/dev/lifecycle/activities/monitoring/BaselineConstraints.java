package dev.lifecycle.activities.monitoring;

import java.util.List;
import java.util.Optional;

/**
 * {@code constraints.json}: what a window must satisfy, feature by feature.
 *
 * @param version the file format's version, {@value BaselineStatistics#VERSION}
 * @param bins the number of quantile bins PSI and Jensen–Shannon use (informative: the bins
 *     themselves are in the statistics)
 * @param features per-feature constraints
 */
public record BaselineConstraints(int version, int bins, List<FeatureConstraints> features) {
  public BaselineConstraints {
    features = List.copyOf(features);
  }

  /** The constraints of feature {@code name}, if any. */
  public Optional<FeatureConstraints> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
