package dev.lifecycle.dsl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a model with DJL on the PyTorch engine: a multilayer perceptron over the numeric columns
 * of a dataset (every column but the label).
 *
 * @param train the training set
 * @param validation the validation set, or {@code null}
 * @param label the target column
 * @param task regression or classification
 * @param hiddenLayers widths of the hidden layers, e.g. {@code [64, 32]}
 * @param epochs passes over the training set (integer)
 * @param batchSize rows per optimiser step (integer)
 * @param learningRate Adam's learning rate (double)
 * @param seed seed of initialisation and shuffling
 */
@Step.Kind("train")
public record Train(
    String name,
    OutputRef train,
    OutputRef validation,
    String label,
    Task task,
    List<Integer> hiddenLayers,
    Operand epochs,
    Operand batchSize,
    Operand learningRate,
    long seed,
    StepOptions options,
    List<String> after)
    implements Step {
  public Train {
    Objects.requireNonNull(name, "name");
    task = task == null ? Task.REGRESSION : task;
    hiddenLayers = hiddenLayers == null ? List.of() : List.copyOf(hiddenLayers);
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.train(this);
  }

  @Override
  public Map<String, Input> inputs() {
    return new Inputs()
        .put("train", train, ValueType.DATASET)
        .put("validation", validation, ValueType.DATASET)
        .put("epochs", epochs, ValueType.INTEGER)
        .put("batchSize", batchSize, ValueType.INTEGER)
        .put("learningRate", learningRate, ValueType.DOUBLE)
        .build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("model", ValueType.MODEL);
  }

  @Override
  public List<String> producedMetrics() {
    List<String> metrics = new ArrayList<>(List.of("train_loss"));
    if (validation != null) {
      metrics.add("validation_loss");
    }
    return List.copyOf(metrics);
  }
}
