package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import java.util.Arrays;
import java.util.List;

/**
 * Trains a multilayer perceptron with DJL on the PyTorch engine.
 *
 * <pre>{@code
 * var train = p.train("train", features.train())
 *     .validation(features.validation())
 *     .label("Rings")
 *     .regression()
 *     .hiddenLayers(64, 32)
 *     .epochs(epochs);
 * }</pre>
 *
 * Defaults: regression, hidden layers [64, 32], 50 epochs, batch size 32, learning rate 0.001, seed
 * 7, heartbeat timeout 2 minutes.
 */
public final class TrainBuilder extends StepBuilder<TrainBuilder> {
  private final Artifact.Dataset train;
  private Artifact.Dataset validation;
  private String label;
  private Task task = Task.REGRESSION;
  private List<Integer> hiddenLayers = List.of(64, 32);
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

  /** Widths of the hidden layers. */
  public TrainBuilder hiddenLayers(Integer... widths) {
    this.hiddenLayers = Arrays.asList(widths);
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
    return new Train(
        name(),
        train == null ? null : train.operand(),
        validation == null ? null : validation.operand(),
        label,
        task,
        hiddenLayers,
        Artifact.operandOf(epochs),
        Artifact.operandOf(batchSize),
        Artifact.operandOf(learningRate),
        seed,
        options(),
        afterNames());
  }
}
