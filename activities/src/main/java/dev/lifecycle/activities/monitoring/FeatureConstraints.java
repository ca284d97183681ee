package dev.lifecycle.activities.monitoring;

import java.util.List;
import java.util.Objects;

/**
 * One feature's entry in {@code constraints.json}, suggested from the baseline and meant to be
 * edited by a person.
 *
 * @param name the column name
 * @param kind numeric or categorical; a window column of the other kind is a type mismatch
 * @param completeness the smallest acceptable fraction of values present, in [0, 1] (suggested: the
 *     baseline's own completeness)
 * @param range for numeric features, the allowed [min, max] (suggested: the baseline's range
 *     widened on each side by a margin); null means no range check
 * @param knownCategories for categorical features, the categories the model knows; any other value
 *     in a window is a violation. Null means no check (suggested only below a cardinality limit)
 * @param drift the drift checks to run on this feature, each with its threshold
 */
public record FeatureConstraints(
    String name,
    FeatureKind kind,
    double completeness,
    Range range,
    List<String> knownCategories,
    List<DriftCheck> drift) {

  public FeatureConstraints {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    knownCategories = knownCategories == null ? null : List.copyOf(knownCategories);
    drift = drift == null ? List.of() : List.copyOf(drift);
  }

  /**
   * An allowed numeric range, bounds included.
   *
   * @param min the smallest allowed value
   * @param max the largest allowed value
   */
  public record Range(double min, double max) {}

  /**
   * A drift check and its threshold (see {@link DriftMethod} for which side is drift).
   *
   * @param method the statistic
   * @param threshold the p-value below which, or the distance above which, the feature drifted
   */
  public record DriftCheck(DriftMethod method, double threshold) {
    public DriftCheck {
      Objects.requireNonNull(method, "method");
    }
  }
}
