package dev.lifecycle.activities.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import dev.lifecycle.dsl.plan.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One optimiser step of the train step on a batch of rows, and the trainer it runs on. {@link
 * TrainingActivitiesImpl} trains every batch with it, and the DJL-vs-PyTorch bench ({@code
 * bench/djl-vs-pytorch.sh}) measures it, so the bench times exactly what the product runs.
 *
 * <p>A step gathers the batch's rows straight into two direct buffers that live as long as the
 * trainer (no float array, no fresh direct buffer per batch: DJL's {@code
 * NDManager.create(float[])} allocates and zeroes one, and it is freed only by a later garbage
 * collection), wraps them as tensors without a copy, runs forward, loss and backward under a
 * process-wide lock, and steps the optimizer. The buffers are aligned to 64 bytes, as libtorch
 * aligns the tensors it allocates: a matrix–vector product (a layer with one output reading the
 * input directly) gives other bits for other input alignments, so an input at an arbitrary {@code
 * malloc} address made results depend on where the JVM happened to place the buffer.
 *
 * <p>Not thread-safe: one instance per training. Steps of different instances may run at once.
 */
public final class BatchTrainer implements AutoCloseable {
  /**
   * The phases {@link #train(float[], float[], int[], int, int, long[])} times, in the order of the
   * array it fills: gathering rows into the tensors, forward pass, loss, backward pass, reading the
   * loss value, the optimizer step (with DJL's gradient zeroing), and closing the batch's arrays.
   */
  public static final List<String> PHASES =
      List.of("copy", "forward", "loss", "backward", "item", "optimizer", "close");

  /**
   * DJL's PyTorch gradient collector is process-wide (a static flag: "Only one can be collecting at
   * a time"); two trainings in one worker, e.g. two runs, or a timed-out attempt still stopping
   * beside its retry, would fail each other's batches without this lock.
   */
  private static final Object GRADIENT_LOCK = new Object();

  private static final int ALIGNMENT = 64;
  private static final Object SEED_LOCK = new Object();

  private final Trainer trainer;
  private final Network network;
  private final int width;
  private final ByteBuffer inputBytes;
  private final FloatBuffer inputs;
  private final ByteBuffer labelBytes;
  private final FloatBuffer labels;

  /**
   * The optimizer state of a trainer made by {@link #cnn}, which owns its trainer and network and
   * closes them with it; null when the caller owns them.
   */
  private final NDManager ownedState;

  /**
   * A step runner for {@code trainer}, which trains {@code network}, on batches of at most {@code
   * maxRows} rows of {@code width} floats each.
   */
  BatchTrainer(Trainer trainer, Network network, int width, int maxRows) {
    this(trainer, network, width, maxRows, null);
  }

  private BatchTrainer(
      Trainer trainer, Network network, int width, int maxRows, NDManager ownedState) {
    this.trainer = trainer;
    this.network = network;
    this.width = width;
    this.inputBytes = aligned((long) maxRows * width);
    this.inputs = inputBytes.asFloatBuffer();
    this.labelBytes = aligned(maxRows);
    this.labels = labelBytes.asFloatBuffer();
    this.ownedState = ownedState;
  }

  private static ByteBuffer aligned(long floats) {
    // alignedSlice rounds both ends inwards to the alignment, so round the size up first.
    long bytes = (floats * Float.BYTES + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    if (bytes + ALIGNMENT > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("A batch of " + floats + " floats is too large");
    }
    return ByteBuffer.allocateDirect((int) bytes + ALIGNMENT)
        .alignedSlice(ALIGNMENT)
        .order(ByteOrder.nativeOrder());
  }

  /**
   * Creates {@code trainer}'s parameters: seeds the engine with {@code seed} and initialises the
   * network for batches of {@code batchShape}. The engine's random generator is process-wide:
   * seeding and initialising under one lock keeps two trainings in the same worker from drawing
   * each other's initial weights.
   */
  static void initialize(Trainer trainer, long seed, Shape batchShape) {
    synchronized (SEED_LOCK) {
      Engine.getEngine(ModelBundle.ENGINE).setRandomSeed(Long.hashCode(seed));
      trainer.initialize(batchShape);
    }
  }

  /** The training configuration of the train step: {@code optimizer} on the CPU. */
  static DefaultTrainingConfig config(Task task, ResumableAdam optimizer) {
    Loss loss =
        task == Task.CLASSIFICATION
            ? Loss.softmaxCrossEntropyLoss("cross_entropy")
            : Loss.l2Loss("mse", 1f);
    return new DefaultTrainingConfig(loss)
        .optOptimizer(optimizer)
        .optDevices(new Device[] {Device.cpu()});
  }

  /**
   * A fresh CNN ({@link Networks#cnn}) set up exactly as the train step sets up a CNN it trains
   * from scratch: {@link ResumableAdam} at {@code learningRate}, softmax cross-entropy, initialised
   * from {@code seed}. For benchmarks; close it when done.
   *
   * @param inputShape one image, {@code [channels, height, width]}
   */
  public static BatchTrainer cnn(
      List<Integer> inputShape, int classes, int batchSize, float learningRate, long seed) {
    Network network = Network.create(ModelMetadata.CNN, List.of(), classes, inputShape);
    NDManager state = network.model().getNDManager().newSubManager();
    ResumableAdam adam = new ResumableAdam(learningRate, state);
    Trainer trainer = network.model().newTrainer(config(Task.CLASSIFICATION, adam));
    initialize(trainer, seed, network.batchShape(batchSize));
    adam.bind(network.parameters(), Map.of(), Set.of());
    int width = inputShape.stream().reduce(1, (a, b) -> a * b);
    return new BatchTrainer(trainer, network, width, batchSize, state);
  }

  /** The trainer the steps run on. */
  Trainer trainer() {
    return trainer;
  }

  /** The network the steps train. */
  Network network() {
    return network;
  }

  /**
   * One optimiser step on rows {@code order[from..to)} of {@code x} (row-major, {@code width}
   * floats a row) and their labels {@code y}; returns the batch's mean loss.
   */
  public double train(float[] x, float[] y, int[] order, int from, int to) {
    return train(x, y, order, from, to, null);
  }

  /**
   * {@link #train(float[], float[], int[], int, int)}, adding the nanoseconds each of {@link
   * #PHASES} took to {@code phaseNanos} unless it is {@code null}.
   */
  public double train(float[] x, float[] y, int[] order, int from, int to, long[] phaseNanos) {
    long t0 = phaseNanos == null ? 0 : System.nanoTime();
    int n = to - from;
    for (int i = 0; i < n; i++) {
      int row = order[from + i];
      inputs.put(i * width, x, row * width, width);
      labels.put(i, y[row]);
    }
    double value;
    NDManager batch = trainer.getManager().newSubManager();
    try {
      NDList input =
          new NDList(
              batch.create(
                  inputBytes.slice(0, n * width * Float.BYTES),
                  network.batchShape(n),
                  DataType.FLOAT32));
      NDList target =
          new NDList(
              batch.create(labelBytes.slice(0, n * Float.BYTES), new Shape(n), DataType.FLOAT32));
      long t1 = phaseNanos == null ? 0 : System.nanoTime();
      long t2;
      long t3;
      long t4;
      synchronized (GRADIENT_LOCK) {
        try (GradientCollector collector = trainer.newGradientCollector()) {
          NDList predictions = trainer.forward(input, target);
          t2 = phaseNanos == null ? 0 : System.nanoTime();
          NDArray loss = trainer.getLoss().evaluate(target, predictions);
          t3 = phaseNanos == null ? 0 : System.nanoTime();
          collector.backward(loss);
          t4 = phaseNanos == null ? 0 : System.nanoTime();
          value = loss.getFloat();
        }
      }
      long t5 = phaseNanos == null ? 0 : System.nanoTime();
      trainer.step();
      if (phaseNanos != null) {
        long t6 = System.nanoTime();
        phaseNanos[0] += t1 - t0;
        phaseNanos[1] += t2 - t1;
        phaseNanos[2] += t3 - t2;
        phaseNanos[3] += t4 - t3;
        phaseNanos[4] += t5 - t4;
        phaseNanos[5] += t6 - t5;
      }
    } finally {
      long t7 = phaseNanos == null ? 0 : System.nanoTime();
      batch.close();
      if (phaseNanos != null) {
        phaseNanos[6] += System.nanoTime() - t7;
      }
    }
    return value;
  }

  /**
   * Saves the network as a model directory that {@link ModelBundle#load} reads: a CNN classifier of
   * {@code classes} over image column {@value ParquetDataset#IMAGE}. For benchmarks.
   */
  public void saveModel(Path dir, List<String> classes, long seed) throws IOException {
    network.save(dir, 0);
    ModelBundle.writeMetadata(
        dir,
        new ModelMetadata(
            ModelMetadata.versionFor(network.architecture(), network.rowShape()),
            Task.CLASSIFICATION,
            List.of(ParquetDataset.IMAGE),
            "label",
            List.of(),
            classes,
            0,
            Map.of(),
            seed,
            network.architecture(),
            network.rowShape(),
            null,
            null,
            null,
            null));
  }

  @Override
  public void close() {
    if (ownedState != null) {
      try {
        trainer.close();
        ownedState.close();
      } finally {
        network.close();
      }
    }
  }
}
