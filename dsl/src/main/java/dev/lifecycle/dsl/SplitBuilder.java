package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Split;
import dev.lifecycle.dsl.plan.Step;

/**
 * Splits a dataset into train, validation and test sets by a seeded shuffle. Defaults: 80/10/10,
 * seed 42.
 */
public final class SplitBuilder extends StepBuilder<SplitBuilder> {
  private final Artifact.Dataset dataset;
  private double train = 0.8;
  private double validation = 0.1;
  private double test = 0.1;
  private long seed = 42;

  SplitBuilder(String name, Artifact.Dataset dataset) {
    super(name);
    this.dataset = dataset;
  }

  /** Fractions of rows for training, validation and test; they must add up to 1. */
  public SplitBuilder ratios(double train, double validation, double test) {
    this.train = train;
    this.validation = validation;
    this.test = test;
    return this;
  }

  /** Seed of the shuffle: the same seed and data give the same split. */
  public SplitBuilder seed(long seed) {
    this.seed = seed;
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

  @Override
  Step build() {
    return new Split(
        name(),
        dataset == null ? null : dataset.operand(),
        train,
        validation,
        test,
        seed,
        options(),
        afterNames());
  }
}
