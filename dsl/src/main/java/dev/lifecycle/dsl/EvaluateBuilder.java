package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Task;

/**
 * Scores a model on held-out data. Regression produces {@code mse, rmse, mae, r2}; classification
 * {@code accuracy, precision, recall, f1, log_loss, roc_auc} (macro averages; {@code roc_auc} needs
 * every class present in the data). Default: regression.
 */
public final class EvaluateBuilder extends StepBuilder<EvaluateBuilder> {
  private final Artifact.Model model;
  private final Artifact.Dataset dataset;
  private String label;
  private Task task = Task.REGRESSION;

  EvaluateBuilder(String name, Artifact.Model model, Artifact.Dataset dataset) {
    super(name);
    this.model = model;
    this.dataset = dataset;
  }

  /** The column holding the true values. */
  public EvaluateBuilder label(String column) {
    this.label = column;
    return this;
  }

  public EvaluateBuilder regression() {
    this.task = Task.REGRESSION;
    return this;
  }

  public EvaluateBuilder classification() {
    this.task = Task.CLASSIFICATION;
    return this;
  }

  /** One of the metrics this evaluation produces. */
  public Metric metric(String name) {
    return new Metric(name(), name);
  }

  Task task() {
    return task;
  }

  @Override
  Step build() {
    return new Evaluate(
        name(),
        model == null ? null : model.operand(),
        dataset == null ? null : dataset.operand(),
        label,
        task,
        options(),
        afterNames());
  }
}
