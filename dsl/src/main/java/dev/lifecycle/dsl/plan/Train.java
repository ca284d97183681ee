package dev.lifecycle.dsl.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains a model with DJL on the PyTorch engine: a multilayer perceptron over the numeric columns
 * of a dataset (every column but the label), a small CNN over an image dataset (a BLOB column
 * {@code image} of 8-bit greyscale pixels with {@code height} and {@code width} columns), or a
 * pretrained model fine-tuned on the training set.
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
 * @param architecture the network to build, or {@code null}: an MLP for tabular data, the CNN for
 *     image data; a pretrained model brings its own
 * @param pretrained the model to start from, or {@code null} to train from scratch: a model output
 *     of an earlier step, or a string naming a Lifecycle model directory or a TorchScript {@code
 *     .pt} file (a path or a {@code file:} URI)
 * @param fineTune how to adapt {@code pretrained}, or {@code null} to train all of it
 * @param earlyStopping when to stop before {@code epochs}, or {@code null} to train them all
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
    List<String> after,
    Architecture architecture,
    Operand pretrained,
    FineTune fineTune,
    EarlyStopping earlyStopping)
    implements Step {
  public Train {
    Objects.requireNonNull(name, "name");
    task = task == null ? Task.REGRESSION : task;
    hiddenLayers = hiddenLayers == null ? List.of() : List.copyOf(hiddenLayers);
    options = Inputs.options(options);
    after = Inputs.copy(after);
  }

  /** A step training from scratch, without early stopping. */
  public Train(
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
      List<String> after) {
    this(
        name,
        train,
        validation,
        label,
        task,
        hiddenLayers,
        epochs,
        batchSize,
        learningRate,
        seed,
        options,
        after,
        null,
        null,
        null,
        null);
  }

  /** This step reading {@code epochs}, {@code batchSize} and {@code learningRate} instead. */
  public Train withHyperparameters(Operand epochs, Operand batchSize, Operand learningRate) {
    return new Train(
        name,
        train,
        validation,
        label,
        task,
        hiddenLayers,
        epochs,
        batchSize,
        learningRate,
        seed,
        options,
        after,
        architecture,
        pretrained,
        fineTune,
        earlyStopping);
  }

  /** This step starting from {@code pretrained} and adapting it by {@code fineTune}. */
  public Train withPretrained(Operand pretrained, FineTune fineTune) {
    return new Train(
        name,
        train,
        validation,
        label,
        task,
        hiddenLayers,
        epochs,
        batchSize,
        learningRate,
        seed,
        options,
        after,
        architecture,
        pretrained,
        fineTune,
        earlyStopping);
  }

  /** This step stopping early by {@code earlyStopping}. */
  public Train withEarlyStopping(EarlyStopping earlyStopping) {
    return new Train(
        name,
        train,
        validation,
        label,
        task,
        hiddenLayers,
        epochs,
        batchSize,
        learningRate,
        seed,
        options,
        after,
        architecture,
        pretrained,
        fineTune,
        earlyStopping);
  }

  /** This step building {@code architecture}. */
  public Train withArchitecture(Architecture architecture) {
    return new Train(
        name,
        train,
        validation,
        label,
        task,
        hiddenLayers,
        epochs,
        batchSize,
        learningRate,
        seed,
        options,
        after,
        architecture,
        pretrained,
        fineTune,
        earlyStopping);
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
        // A model output is an artifact; anything else names a model directory or file.
        .put(
            "pretrained",
            pretrained,
            pretrained instanceof OutputRef ? ValueType.MODEL : ValueType.STRING)
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
