package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs a model over a whole dataset and writes a predictions file, streamed in batches.
 *
 * @param transform the fitted feature transform the model reads its inputs through, or {@code
 *     null}: with one, the dataset may hold raw rows (the transform's source columns), which are
 *     transformed before predicting; a dataset that already holds the model's feature columns is
 *     read as it is. The compiler fills it in when the model was trained on a features step's
 *     output
 */
@Step.Kind("batchTransform")
public record BatchTransform(
    String name,
    OutputRef model,
    OutputRef dataset,
    StepOptions options,
    List<String> after,
    OutputRef transform)
    implements Step {
  public BatchTransform {
    Objects.requireNonNull(name, "name");
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  /** A batch transform step without a feature transform (the compiler may infer one). */
  public BatchTransform(
      String name, OutputRef model, OutputRef dataset, StepOptions options, List<String> after) {
    this(name, model, dataset, options, after, null);
  }

  /** This step reading raw rows through {@code transform}. */
  public BatchTransform withTransform(OutputRef transform) {
    return new BatchTransform(name, model, dataset, options, after, transform);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.batchTransform(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("model", model, ValueType.MODEL)
        .put("dataset", dataset, ValueType.DATASET)
        .put("transform", transform, ValueType.TRANSFORM)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("predictions", ValueType.PREDICTIONS);
  }
}
