package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Splits a dataset into train, validation and test sets by a seeded shuffle.
 *
 * @param train fraction of rows for training, e.g. 0.8
 * @param validation fraction for validation, e.g. 0.1
 * @param test fraction for the final test, e.g. 0.1
 * @param seed the shuffle's seed, so a rerun gives the same split
 */
@Step.Kind("split")
public record Split(
    String name,
    OutputRef dataset,
    double train,
    double validation,
    double test,
    long seed,
    StepOptions options,
    List<String> after)
    implements Step {
  public Split {
    Objects.requireNonNull(name, "name");
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.split(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs().put("dataset", dataset, ValueType.DATASET).build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of(
        "train", ValueType.DATASET, "validation", ValueType.DATASET, "test", ValueType.DATASET);
  }
}
