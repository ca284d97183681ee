package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a feature is monitored: as numbers or as categories. */
public enum FeatureKind {
  /** Integers, decimals and floating point: ranges, quantiles, distribution distances. */
  @JsonProperty("numeric")
  NUMERIC,
  /** Strings and booleans: known categories and category frequencies. */
  @JsonProperty("categorical")
  CATEGORICAL
}
