package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Features;
import dev.lifecycle.dsl.plan.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * Feature engineering fitted on the training set, applied alike to all three sets.
 *
 * <pre>{@code
 * var features = p.features("features", split).label("Rings").oneHot("Sex").standardize();
 * }</pre>
 *
 * Defaults: no one-hot columns, no standardisation, nothing dropped.
 */
public final class FeaturesBuilder extends StepBuilder<FeaturesBuilder> {
  private final Artifact.Dataset train;
  private final Artifact.Dataset validation;
  private final Artifact.Dataset test;
  private String label;
  private final List<String> oneHot = new ArrayList<>();
  private final List<String> standardize = new ArrayList<>();
  private final List<String> drop = new ArrayList<>();

  FeaturesBuilder(
      String name, Artifact.Dataset train, Artifact.Dataset validation, Artifact.Dataset test) {
    super(name);
    this.train = train;
    this.validation = validation;
    this.test = test;
  }

  /** The target column, passed through untouched. */
  public FeaturesBuilder label(String column) {
    this.label = column;
    return this;
  }

  /** One-hot encode these categorical columns (categories learned from the training set). */
  public FeaturesBuilder oneHot(String... columns) {
    oneHot.addAll(List.of(columns));
    return this;
  }

  /**
   * Standardise these numeric columns to mean 0, standard deviation 1 (fitted on training); with no
   * columns, every numeric feature column.
   */
  public FeaturesBuilder standardize(String... columns) {
    standardize.addAll(columns.length == 0 ? List.of(Features.ALL_NUMERIC) : List.of(columns));
    return this;
  }

  /** Leave these columns out. */
  public FeaturesBuilder drop(String... columns) {
    drop.addAll(List.of(columns));
    return this;
  }

  public Artifact.Dataset train() {
    return new Artifact.Dataset(name(), "train");
  }

  public Artifact.Dataset validation() {
    return new Artifact.Dataset(name(), "validation");
  }

  public Artifact.Dataset test() {
    return new Artifact.Dataset(name(), "test");
  }

  /** The fitted transform, to apply the same features at serving time. */
  public Artifact.Transform transform() {
    return new Artifact.Transform(name(), "transform");
  }

  @Override
  Step build() {
    return new Features(
        name(),
        train == null ? null : train.operand(),
        validation == null ? null : validation.operand(),
        test == null ? null : test.operand(),
        label,
        oneHot,
        standardize,
        drop,
        options(),
        afterNames());
  }
}
