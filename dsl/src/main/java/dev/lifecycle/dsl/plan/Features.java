package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feature engineering fitted on the training set and applied alike to all three sets: one-hot
 * encoding of categorical columns and standardisation of numeric ones. The fitted transform is an
 * output of its own, so serving applies exactly what training saw.
 *
 * @param label the target column, passed through untouched
 * @param oneHot categorical columns to one-hot encode
 * @param standardize numeric columns to standardise; {@link #ALL_NUMERIC} alone means every numeric
 *     feature column (not the label, not one-hot columns)
 * @param drop columns to leave out
 */
@Step.Kind("features")
public record Features(
    String name,
    OutputRef train,
    OutputRef validation,
    OutputRef test,
    String label,
    List<String> oneHot,
    List<String> standardize,
    List<String> drop,
    StepOptions options,
    List<String> after)
    implements Step {
  /** In {@code standardize}: every numeric feature column. */
  public static final String ALL_NUMERIC = "*";

  public Features {
    Objects.requireNonNull(name, "name");
    oneHot = Inputs.copy(oneHot);
    standardize = Inputs.copy(standardize);
    drop = Inputs.copy(drop);
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.features(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("train", train, ValueType.DATASET)
        .put("validation", validation, ValueType.DATASET)
        .put("test", test, ValueType.DATASET)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of(
        "train", ValueType.DATASET,
        "validation", ValueType.DATASET,
        "test", ValueType.DATASET,
        "transform", ValueType.TRANSFORM);
  }
}
