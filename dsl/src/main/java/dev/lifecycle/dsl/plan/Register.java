package dev.lifecycle.dsl.plan;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers a model version in the model registry with its metrics and lineage (the dataset it was
 * trained from, the plan hash, the run's parameters).
 *
 * @param modelName the registry's name for the model; versions count up from 1
 * @param dataset the data version the model came from, for lineage
 * @param metrics metrics recorded with the version, by name
 * @param transform the fitted feature transform the model reads its inputs through, packaged with
 *     the version so that serving applies it to raw requests; {@code null} when the model reads its
 *     inputs as they come. The compiler fills it in when the model was trained on a features step's
 *     output (see {@code PipelineCompiler.compile})
 */
@Step.Kind("register")
public record Register(
    String name,
    String modelName,
    OutputRef model,
    OutputRef dataset,
    Map<String, Operand> metrics,
    StepOptions options,
    List<String> after,
    OutputRef transform)
    implements Step {
  public Register {
    Objects.requireNonNull(name, "name");
    metrics =
        metrics == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  /** A register step without a feature transform (the compiler may infer one). */
  public Register(
      String name,
      String modelName,
      OutputRef model,
      OutputRef dataset,
      Map<String, Operand> metrics,
      StepOptions options,
      List<String> after) {
    this(name, modelName, model, dataset, metrics, options, after, null);
  }

  /** This step packaging {@code transform} with the model. */
  public Register withTransform(OutputRef transform) {
    return new Register(name, modelName, model, dataset, metrics, options, after, transform);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.register(this);
  }

  @Override
  public Map<String, Input> inputs() {
    Inputs inputs =
        new Inputs()
            .put("model", model, ValueType.MODEL)
            .put("dataset", dataset, ValueType.DATASET)
            .put("transform", transform, ValueType.TRANSFORM);
    metrics.forEach((metric, operand) -> inputs.put("metric." + metric, operand, ValueType.DOUBLE));
    return inputs.build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("version", ValueType.INTEGER, "model", ValueType.MODEL);
  }
}
