package dev.lifecycle.activities.monitoring;

import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How {@link Baselines#compute} builds a baseline. Immutable; build with {@link #newBuilder()}.
 *
 * <pre>{@code
 * BaselineOptions options = BaselineOptions.newBuilder()
 *     .optFeatures(List.of("Length", "Whole.weight", "Sex"))
 *     .optNumericDrift(List.of(new DriftCheck(DriftMethod.PSI, 0.2)))
 *     .build();
 * }</pre>
 *
 * @param features the columns to monitor; empty (the default) means every numeric or categorical
 *     column not excluded
 * @param exclude columns to leave out when {@code features} is empty (e.g. the label); default none
 * @param bins quantile bins for PSI and Jensen–Shannon; default {@value
 *     DriftStatistics#DEFAULT_BINS}
 * @param rangeMargin how far the suggested range extends beyond the baseline's min and max, as a
 *     fraction of its span; default 0.1
 * @param maxCategories above this many distinct values, no known-categories constraint is suggested
 *     and statistics list only the most frequent ones; default 1000
 * @param numericDrift drift checks suggested for numeric features; default PSI above 0.25 (the
 *     usual "significant shift" threshold)
 * @param categoricalDrift drift checks suggested for categorical features; default chi-square
 *     p-value below 0.05
 */
public record BaselineOptions(
    List<String> features,
    List<String> exclude,
    int bins,
    double rangeMargin,
    int maxCategories,
    List<DriftCheck> numericDrift,
    List<DriftCheck> categoricalDrift) {

  public BaselineOptions {
    features = List.copyOf(features);
    exclude = List.copyOf(exclude);
    numericDrift = List.copyOf(numericDrift);
    categoricalDrift = List.copyOf(categoricalDrift);
    if (bins < 2) {
      throw new IllegalArgumentException("bins must be at least 2, got " + bins);
    }
    if (!(rangeMargin >= 0) || Double.isInfinite(rangeMargin)) {
      throw new IllegalArgumentException("rangeMargin must be a finite fraction >= 0");
    }
    if (maxCategories < 1) {
      throw new IllegalArgumentException("maxCategories must be positive, got " + maxCategories);
    }
    for (DriftCheck c : numericDrift) {
      if (!c.method().appliesTo(FeatureKind.NUMERIC)) {
        throw new IllegalArgumentException(c.method().jsonName() + " does not apply to numbers");
      }
    }
    for (DriftCheck c : categoricalDrift) {
      if (!c.method().appliesTo(FeatureKind.CATEGORICAL)) {
        throw new IllegalArgumentException(c.method().jsonName() + " does not apply to categories");
      }
    }
  }

  /** The defaults listed on the record. */
  public static BaselineOptions defaults() {
    return newBuilder().build();
  }

  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds {@link BaselineOptions}; every setting is optional. */
  public static final class Builder {
    private List<String> features = List.of();
    private List<String> exclude = List.of();
    private int bins = DriftStatistics.DEFAULT_BINS;
    private double rangeMargin = 0.1;
    private int maxCategories = 1000;
    private List<DriftCheck> numericDrift =
        List.of(new DriftCheck(DriftMethod.PSI, DriftStatistics.PSI_SIGNIFICANT));
    private List<DriftCheck> categoricalDrift =
        List.of(new DriftCheck(DriftMethod.CHI_SQUARE, 0.05));

    private Builder() {}

    public Builder optFeatures(List<String> features) {
      this.features = new ArrayList<>(Objects.requireNonNull(features));
      return this;
    }

    public Builder optExclude(List<String> exclude) {
      this.exclude = new ArrayList<>(Objects.requireNonNull(exclude));
      return this;
    }

    public Builder optBins(int bins) {
      this.bins = bins;
      return this;
    }

    public Builder optRangeMargin(double rangeMargin) {
      this.rangeMargin = rangeMargin;
      return this;
    }

    public Builder optMaxCategories(int maxCategories) {
      this.maxCategories = maxCategories;
      return this;
    }

    public Builder optNumericDrift(List<DriftCheck> checks) {
      this.numericDrift = new ArrayList<>(Objects.requireNonNull(checks));
      return this;
    }

    public Builder optCategoricalDrift(List<DriftCheck> checks) {
      this.categoricalDrift = new ArrayList<>(Objects.requireNonNull(checks));
      return this;
    }

    public BaselineOptions build() {
      return new BaselineOptions(
          features, exclude, bins, rangeMargin, maxCategories, numericDrift, categoricalDrift);
    }
  }
}
