package dev.lifecycle.activities.monitoring;

import java.util.List;
import java.util.Optional;

/**
 * {@code statistics.json}: what the training data looked like, feature by feature.
 *
 * @param version the file format's version, {@value #VERSION}
 * @param dataset the Parquet file the statistics were computed from; the Kolmogorov–Smirnov and
 *     Wasserstein checks read the baseline's values from it
 * @param rows rows in the dataset
 * @param features per-feature statistics, in column order
 */
public record BaselineStatistics(
    int version, String dataset, long rows, List<FeatureStatistics> features) {
  /** The format version this code writes and reads. */
  public static final int VERSION = 1;

  public BaselineStatistics {
    features = List.copyOf(features);
  }

  /** The statistics of feature {@code name}, if the baseline has it. */
  public Optional<FeatureStatistics> feature(String name) {
    return features.stream().filter(f -> f.name().equals(name)).findFirst();
  }
}
