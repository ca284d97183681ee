package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Step;

/** Runs a model over a whole dataset into a predictions file. */
public final class BatchTransformBuilder extends StepBuilder<BatchTransformBuilder> {
  private final Artifact.Model model;
  private final Artifact.Dataset dataset;

  BatchTransformBuilder(String name, Artifact.Model model, Artifact.Dataset dataset) {
    super(name);
    this.model = model;
    this.dataset = dataset;
  }

  @Override
  Step build() {
    return new BatchTransform(
        name(),
        model == null ? null : model.operand(),
        dataset == null ? null : dataset.operand(),
        options(),
        afterNames());
  }
}
