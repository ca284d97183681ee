package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Step;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers a model version with its metrics and lineage.
 *
 * <pre>{@code
 * b.register("register", "abalone-age", train.model()).dataset(raw).metrics(evaluate);
 * }</pre>
 */
public final class RegisterBuilder extends StepBuilder<RegisterBuilder> {
  private final String modelName;
  private final Artifact.Model model;
  private Artifact.Dataset dataset;
  private final Map<String, Operand> metrics = new LinkedHashMap<>();

  RegisterBuilder(String name, String modelName, Artifact.Model model) {
    super(name);
    this.modelName = modelName;
    this.model = model;
  }

  /** The data version the model was trained from, recorded as lineage. */
  public RegisterBuilder dataset(Artifact.Dataset dataset) {
    this.dataset = dataset;
    return this;
  }

  /** Record every metric of {@code evaluation} with the version. */
  public RegisterBuilder metrics(EvaluateBuilder evaluation) {
    for (String metric : evaluation.task().metrics()) {
      metrics.put(metric, evaluation.metric(metric).operand());
    }
    return this;
  }

  /** Record {@code value} as the metric {@code name}. */
  public RegisterBuilder metric(String name, NumberValue value) {
    metrics.put(name, value.operand());
    return this;
  }

  /** The registry's name of the model. */
  public String modelName() {
    return modelName;
  }

  /** The registered version number. */
  public Value<Integer> version() {
    return () -> new dev.lifecycle.dsl.plan.OutputRef(name(), "version");
  }

  @Override
  Step build() {
    return new Register(
        name(),
        modelName,
        model == null ? null : model.operand(),
        dataset == null ? null : dataset.operand(),
        metrics,
        options(),
        afterNames());
  }
}
