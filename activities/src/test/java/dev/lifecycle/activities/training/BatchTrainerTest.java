package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-batch training step, against DJL's plain step, and the gradient-free forward pass. */
class BatchTrainerTest {
  private static final List<Integer> IMAGE = List.of(1, 8, 8);

  @Test
  void stepsExactlyAsDjlsPlainStepIncludingAShortLastBatch() {
    int rows = 21;
    int width = 64;
    Random random = new Random(5);
    float[] x = new float[rows * width];
    float[] y = new float[rows];
    for (int i = 0; i < x.length; i++) {
      x[i] = random.nextFloat();
    }
    for (int i = 0; i < rows; i++) {
      y[i] = random.nextInt(3);
    }
    int[] order = TrainingActivitiesImpl.shuffle(rows, 9, 1);
    try (BatchTrainer reused = BatchTrainer.cnn(IMAGE, 3, 8, 0.01f, 13);
        BatchTrainer plain = BatchTrainer.cnn(IMAGE, 3, 8, 0.01f, 13)) {
      List<Double> losses = new ArrayList<>();
      List<Double> expected = new ArrayList<>();
      // Two epochs: the reused buffers must hold each batch's rows, not a previous batch's.
      for (int epoch = 0; epoch < 2; epoch++) {
        for (int from = 0; from < rows; from += 8) {
          int to = Math.min(rows, from + 8);
          losses.add(reused.train(x, y, order, from, to));
          expected.add(plainStep(plain, x, y, order, from, to, width));
        }
      }
      assertEquals(expected, losses);
      Map<String, float[]> got = weights(reused);
      Map<String, float[]> want = weights(plain);
      assertEquals(want.keySet(), got.keySet());
      want.forEach((name, values) -> assertArrayEquals(values, got.get(name), name));
    }
  }

  /** The step as DJL's examples write it: a float array per batch, a fresh NDArray per batch. */
  private static double plainStep(
      BatchTrainer batches, float[] x, float[] y, int[] order, int from, int to, int width) {
    Trainer trainer = batches.trainer();
    int n = to - from;
    float[] bx = new float[n * width];
    float[] by = new float[n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(x, order[from + i] * width, bx, i * width, width);
      by[i] = y[order[from + i]];
    }
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDList input = new NDList(batch.create(bx, batches.network().batchShape(n)));
      NDList labels = new NDList(batch.create(by, new Shape(n)));
      double value;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray loss = trainer.getLoss().evaluate(labels, trainer.forward(input, labels));
        collector.backward(loss);
        value = loss.getFloat();
      }
      trainer.step();
      return value;
    }
  }

  private static Map<String, float[]> weights(BatchTrainer batches) {
    Map<String, float[]> weights = new java.util.TreeMap<>();
    batches.network().parameters().forEach((k, p) -> weights.put(k, p.getArray().toFloatArray()));
    return weights;
  }

  @Test
  void forwardPassesRecordNoGradientsOnAnyThreadAndRestoreTheThreadsMode() throws Exception {
    Engine.getEngine(ModelBundle.ENGINE); // loaded here, on the test's thread
    AtomicReference<List<Boolean>> seen = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    // libtorch's grad mode is per thread and on by default; DJL turns it off only on the thread
    // that loads the engine, so a fresh thread (an activity or serving thread) starts with it on.
    Thread thread =
        new Thread(
            () -> {
              try {
                boolean before = JniUtils.isGradMode();
                boolean inside = Network.withoutGradients(JniUtils::isGradMode);
                boolean after = JniUtils.isGradMode();
                seen.set(List.of(before, inside, after));
              } catch (Throwable e) {
                failure.set(e);
              }
            });
    thread.start();
    thread.join();
    if (failure.get() != null) {
      fail(failure.get());
    }
    assertTrue(seen.get().get(0), "a fresh thread records gradients");
    assertFalse(seen.get().get(1), "inside withoutGradients nothing is recorded");
    assertTrue(seen.get().get(2), "the thread's mode is restored");
  }
}
