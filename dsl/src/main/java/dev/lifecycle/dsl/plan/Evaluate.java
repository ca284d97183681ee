package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores a model on a held-out dataset and produces the task's metrics ({@link Task#metrics()}) and
 * a report artifact.
 */
@Step.Kind("evaluate")
public record Evaluate(
    String name,
    OutputRef model,
    OutputRef dataset,
    String label,
    Task task,
    StepOptions options,
    List<String> after)
    implements Step {
  public Evaluate {
    Objects.requireNonNull(name, "name");
    task = task == null ? Task.REGRESSION : task;
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.evaluate(this);
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
    return Map.of("report", ValueType.REPORT);
  }

  @Override
  public List<String> producedMetrics() {
    return task.metrics();
  }
}
