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
 * @param predictionColumn the feature that holds the model's predictions, if the baseline has one:
 *     its drift is reported as prediction drift; null when none
 * @param modelQuality the concept-drift constraint over posted ground truth; null when none
 * @param rules custom SQL rules over the window; empty when none
 */
public record BaselineConstraints(
    int version,
    int bins,
    List<FeatureConstraints> features,
    String predictionColumn,
    ModelQuality modelQuality,
    List<CustomRule> rules) {
  public BaselineConstraints {
    features = List.copyOf(features);
    rules = rules == null ? List.of() : List.copyOf(rules);
  }

  /** Constraints on features only. */
  public BaselineConstraints(int version, int bins, List<FeatureConstraints> features) {
    this(version, bins, features, null, null, List.of());
  }

  /** The same constraints, treating feature {@code column} as the model's predictions. */
  public BaselineConstraints withPredictionColumn(String column) {
    return new BaselineConstraints(version, bins, features, column, modelQuality, rules);
  }

  /** The same constraints with a model-quality (concept drift) constraint. */
  public BaselineConstraints withModelQuality(ModelQuality quality) {
    return new BaselineConstraints(version, bins, features, predictionColumn, quality, rules);
  }

  /** The same constraints with custom SQL rules. */
  public BaselineConstraints withRules(List<CustomRule> list) {
    return new BaselineConstraints(version, bins, features, predictionColumn, modelQuality, list);
  }

  /** The constraints of feature {@code name}, if any. */
  public Optional<FeatureConstraints> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
