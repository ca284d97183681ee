package dev.lifecycle.activities.monitoring;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A drift statistic a constraint can check, and how its threshold reads. For the two tests the
 * value compared is the p-value and drift is a p-value <em>below</em> the threshold; for the
 * distances drift is a value <em>above</em> it.
 */
public enum DriftMethod {
  /** Population Stability Index over the baseline's bins (or categories); drift if above. */
  @JsonProperty("psi")
  PSI(false, true),
  /** Two-sample Kolmogorov–Smirnov p-value; drift if below. Numeric features only. */
  @JsonProperty("ks")
  KOLMOGOROV_SMIRNOV(true, false),
  /** Jensen–Shannon distance (base 2, in [0, 1]) over bins or categories; drift if above. */
  @JsonProperty("jensen_shannon")
  JENSEN_SHANNON(false, true),
  /** Wasserstein-1 distance in the feature's own units; drift if above. Numeric only. */
  @JsonProperty("wasserstein")
  WASSERSTEIN(false, false),
  /** Chi-square test p-value (Yates-corrected for two categories); drift if below. */
  @JsonProperty("chi_square")
  CHI_SQUARE(true, true);

  private final boolean pValue;
  private final boolean categorical;

  DriftMethod(boolean pValue, boolean categorical) {
    this.pValue = pValue;
    this.categorical = categorical;
  }

  /** Whether the value is a p-value (drift when below the threshold). */
  public boolean isPValue() {
    return pValue;
  }

  /** Whether the method applies to a feature of this kind. */
  public boolean appliesTo(FeatureKind kind) {
    return kind == FeatureKind.CATEGORICAL ? categorical : this != CHI_SQUARE;
  }

  /** Whether {@code value} is drift under {@code threshold}. */
  public boolean drifted(double value, double threshold) {
    return pValue ? value < threshold : value > threshold;
  }

  /** The name used in constraints files. */
  public String jsonName() {
    try {
      return DriftMethod.class.getField(name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException(e);
    }
  }
}
