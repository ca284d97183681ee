package dev.lifecycle.activities.monitoring;

import java.util.List;
import java.util.Objects;

/**
 * One feature's entry in {@code statistics.json}: its kind and column type, and either numeric
 * statistics with the baseline's histogram or categorical counts.
 *
 * @param name the column name
 * @param kind numeric or categorical
 * @param columnType the column's SQL type as DuckDB reads it (e.g. {@code DOUBLE}, {@code VARCHAR})
 * @param numeric numeric statistics; null for a categorical feature
 * @param histogram the baseline's counts over its quantile bins (PSI and Jensen–Shannon compare a
 *     window against it); null for a categorical feature
 * @param categorical categorical statistics; null for a numeric feature
 */
public record FeatureStatistics(
    String name,
    FeatureKind kind,
    String columnType,
    NumericSummary numeric,
    Histogram histogram,
    CategoricalSummary categorical) {

  public FeatureStatistics {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
  }

  /**
   * Counts over bins delimited by {@code cuts}: bin i holds values x with {@code #{cuts <= x} = i}
   * (see {@link DriftStatistics}).
   *
   * @param cuts the interior cut points, ascending
   * @param counts one count per bin, {@code cuts.size() + 1} of them
   */
  public record Histogram(List<Double> cuts, List<Long> counts) {
    public Histogram {
      cuts = List.copyOf(cuts);
      counts = List.copyOf(counts);
      if (counts.size() != cuts.size() + 1) {
        throw new IllegalArgumentException(
            "A histogram with "
                + cuts.size()
                + " cut points needs "
                + (cuts.size() + 1)
                + " counts, got "
                + counts.size());
      }
    }

    double[] cutArray() {
      return cuts.stream().mapToDouble(Double::doubleValue).toArray();
    }

    long[] countArray() {
      return counts.stream().mapToLong(Long::longValue).toArray();
    }
  }
}
