package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Runs a model over a whole dataset and writes a predictions file, streamed in batches. */
@Step.Kind("batchTransform")
public record BatchTransform(
    String name, OutputRef model, OutputRef dataset, StepOptions options, List<String> after)
    implements Step {
  public BatchTransform {
    Objects.requireNonNull(name, "name");
    options = Inputs.options(options);
    after = Inputs.copy(after);
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
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("predictions", ValueType.PREDICTIONS);
  }
}
