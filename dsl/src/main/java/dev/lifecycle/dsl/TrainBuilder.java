package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a model with DJL on the PyTorch engine: a multilayer perceptron (tabular data), a small
 * CNN (image data), or a pretrained model fine-tuned on new labels.
 *
 * <pre>{@code
 * var train = p.train("train", features.train())
 *     .validation(features.validation())
 *     .label("Rings")
 *     .regression()
 *     .hiddenLayers(64, 32)
 *     .epochs(epochs);
 *
 * // Fine-tune a pretrained image classifier: keep its convolutions, learn a new head fast and the
 * // dense layer slowly, stop when the validation loss stalls.
 * var tuned = p.train("fine-tune", images.train())
 *     .validation(images.validation())
 *     .label("label")
 *     .classification()
 *     .pretrained(pretrain.model())          // or .pretrained("/models/base.pt")
 *     .freeze("features")
 *     .newHead()
 *     .learningRate(0.001)
 *     .learningRate("classifier", 0.0001)
 *     .earlyStopping(0.001, 3)
 *     .epochs(20);
 * }</pre>
 *
 * Defaults: regression; an MLP with hidden layers [64, 32] for tabular data and the CNN ({@link
 * #cnn()}) for image data (a dataset with a BLOB column {@code image}); no pretrained model; 50
 * epochs, batch size 32, learning rate 0.001 for every parameter; no early stopping; seed 7;
 * heartbeat timeout 2 minutes.
 */
public final class TrainBuilder extends StepBuilder<TrainBuilder> {
  private final Artifact.Dataset train;
  private Artifact.Dataset validation;
  private String label;
  private Task task = Task.REGRESSION;
  private List<Integer> hiddenLayers;
  private Architecture architecture;
  private Value<?> pretrained;
  private final List<String> freeze = new ArrayList<>();
  private boolean newHead;
  private final Map<String, Double> learningRates = new LinkedHashMap<>();
  private EarlyStopping earlyStopping;
  private Value<?> epochs = Values.integer(50);
  private Value<?> batchSize = Values.integer(32);
  private Value<?> learningRate = Values.number(0.001);
  private long seed = 7;

  TrainBuilder(String name, Artifact.Dataset train) {
    super(name);
    this.train = train;
    heartbeatTimeout(java.time.Duration.ofMinutes(2));
  }

  /** Data to report validation loss on after each epoch. */
  public TrainBuilder validation(Artifact.Dataset validation) {
    this.validation = validation;
    return this;
  }

  /** The target column. */
  public TrainBuilder label(String column) {
    this.label = column;
    return this;
  }

  /** Predict a number (mean squared error loss). */
  public TrainBuilder regression() {
    this.task = Task.REGRESSION;
    return this;
  }

  /** Predict a class (softmax cross-entropy loss). */
  public TrainBuilder classification() {
    this.task = Task.CLASSIFICATION;
    return this;
  }

  /** Widths of the hidden layers of the MLP. Default [64, 32]. */
  public TrainBuilder hiddenLayers(Integer... widths) {
    this.hiddenLayers = Arrays.asList(widths);
    return this;
  }

  /**
   * Train the small CNN for greyscale images ({@link Architecture#CNN}, which lists its parameter
   * names); classification only. The default for image datasets, so only needed to say so.
   */
  public TrainBuilder cnn() {
    this.architecture = Architecture.CNN;
    return this;
  }

  /**
   * Start from the model an earlier step trained (its weights, network and classes) instead of from
   * random weights. Default: train from scratch.
   */
  public TrainBuilder pretrained(Artifact.Model model) {
    this.pretrained = model;
    return this;
  }

  /**
   * Start from the model at {@code location}: a Lifecycle model directory (what a train step
   * outputs) or a TorchScript {@code .pt} file, as a path or a {@code file:} URI, read by the
   * worker that trains.
   */
  public TrainBuilder pretrained(Value<String> location) {
    this.pretrained = location;
    return this;
  }

  /** {@link #pretrained(Value)} with a constant location. */
  public TrainBuilder pretrained(String location) {
    return pretrained(Values.of(location));
  }

  /**
   * Keep these parameters or blocks exactly as pretrained: a full name ({@code
   * features.conv1.weight}) or a prefix ending at a dot ({@code features} or {@code features.*}).
   * An unknown name fails the step once the model is loaded, listing the model's names. Needs
   * {@link #pretrained}. Default: nothing frozen.
   */
  public TrainBuilder freeze(String... names) {
    freeze.addAll(Arrays.asList(names));
    return this;
  }

  /**
   * Replace the pretrained model's last layer with a fresh one with one output per class of the
   * training labels, e.g. to learn new classes. Classification only; needs {@link #pretrained}.
   */
  public TrainBuilder newHead() {
    this.newHead = true;
    return this;
  }

  /**
   * Train the parameters under {@code prefix} (a name or a prefix ending at a dot) with {@code
   * rate}; the longest matching prefix wins, the others use {@link #learningRate(double)}. Needs
   * {@link #pretrained}.
   */
  public TrainBuilder learningRate(String prefix, double rate) {
    learningRates.put(prefix, rate);
    return this;
  }

  /**
   * Stop once the validation loss has not improved by more than {@code minDelta} for {@code
   * patience} epochs in a row, and output the weights of the best epoch. Needs a {@link
   * #validation} set. Default: train all epochs.
   */
  public TrainBuilder earlyStopping(double minDelta, int patience) {
    return earlyStopping(EarlyStopping.DEFAULT_METRIC, minDelta, patience);
  }

  /**
   * {@link #earlyStopping(double, int)} watching {@code metric}: {@code validation_loss} or {@code
   * train_loss}.
   */
  public TrainBuilder earlyStopping(String metric, double minDelta, int patience) {
    this.earlyStopping = new EarlyStopping(metric, minDelta, patience);
    return this;
  }

  public TrainBuilder epochs(int epochs) {
    this.epochs = Values.integer(epochs);
    return this;
  }

  public TrainBuilder epochs(Value<? extends Number> epochs) {
    this.epochs = epochs;
    return this;
  }

  public TrainBuilder batchSize(int batchSize) {
    this.batchSize = Values.integer(batchSize);
    return this;
  }

  public TrainBuilder batchSize(Value<? extends Number> batchSize) {
    this.batchSize = batchSize;
    return this;
  }

  public TrainBuilder learningRate(double learningRate) {
    this.learningRate = () -> new Literal(learningRate);
    return this;
  }

  public TrainBuilder learningRate(Value<? extends Number> learningRate) {
    this.learningRate = learningRate;
    return this;
  }

  /** Seed of weight initialisation and shuffling. */
  public TrainBuilder seed(long seed) {
    this.seed = seed;
    return this;
  }

  /** The trained model. */
  public Artifact.Model model() {
    return new Artifact.Model(name(), "model");
  }

  /** A metric of training: {@code train_loss} or {@code validation_loss} of the last epoch. */
  public Metric metric(String name) {
    return new Metric(name(), name);
  }

  @Override
  Step build() {
    // The MLP's default widths only apply when the step builds an MLP.
    List<Integer> hidden =
        hiddenLayers != null
            ? hiddenLayers
            : architecture == Architecture.CNN || pretrained != null ? List.of() : List.of(64, 32);
    FineTune fineTune =
        freeze.isEmpty() && !newHead && learningRates.isEmpty()
            ? null
            : new FineTune(freeze, newHead, learningRates);
    return new Train(
        name(),
        train == null ? null : train.operand(),
        validation == null ? null : validation.operand(),
        label,
        task,
        hidden,
        Artifact.operandOf(epochs),
        Artifact.operandOf(batchSize),
        Artifact.operandOf(learningRate),
        seed,
        options(),
        afterNames(),
        architecture,
        Artifact.operandOf(pretrained),
        fineTune,
        earlyStopping);
  }
}
