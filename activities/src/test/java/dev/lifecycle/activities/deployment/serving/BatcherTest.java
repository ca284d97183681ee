package dev.lifecycle.activities.deployment.serving;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.dsl.plan.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BatcherTest {
  /** A model that returns each row's first value times 10, and records its batch sizes. */
  static final class Recording implements Predictor {
    final List<Integer> batches = new CopyOnWriteArrayList<>();
    volatile boolean fail;

    @Override
    public ModelMetadata metadata() {
      return new ModelMetadata(1, Task.REGRESSION, List.of("x"), "y", List.of(), null, 1, null, 1);
    }

    @Override
    public float[] predict(float[][] rows, int count) {
      batches.add(count);
      if (fail) {
        throw new IllegalStateException("broken model");
      }
      float[] out = new float[count];
      for (int i = 0; i < count; i++) {
        out[i] = rows[i][0] * 10;
      }
      return out;
    }

    @Override
    public void close() {}
  }

  @Test
  void groupsWaitingRequestsIntoOneModelCallAndHandsEachItsRows() throws Exception {
    Recording model = new Recording();
    // Eight requests on their way and a delay far longer than the test: the batch goes when the
    // eighth request joins, not by time.
    AtomicInteger joining = new AtomicInteger(8);
    Batcher batcher =
        new Batcher("test", 8, TimeUnit.HOURS.toNanos(1), 1, () -> model, joining::get);
    CountDownLatch start = new CountDownLatch(1);
    Map<Integer, float[]> answers = new ConcurrentHashMap<>();
    List<Thread> callers = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      int i = c;
      Thread t =
          new Thread(
              () -> {
                try {
                  start.await();
                  // Caller i sends i + 1 rows.
                  float[][] rows = new float[i + 1][];
                  for (int r = 0; r <= i; r++) {
                    rows[r] = new float[] {i * 100 + r};
                  }
                  answers.put(i, batcher.predict(rows, joining::decrementAndGet));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      t.start();
      callers.add(t);
    }
    start.countDown();
    assertTimeoutPreemptively(
        Duration.ofMinutes(2),
        () -> {
          for (Thread t : callers) {
            t.join();
          }
        });

    assertEquals(List.of(36), model.batches, "one call for 1 + 2 + ... + 8 rows");
    for (int i = 0; i < 8; i++) {
      float[] expected = new float[i + 1];
      for (int r = 0; r <= i; r++) {
        expected[r] = (i * 100 + r) * 10f;
      }
      assertArrayEquals(expected, answers.get(i), "caller " + i);
    }
  }

  @Test
  void aLoneRequestDoesNotWaitForOthersThatCannotCome() {
    Recording model = new Recording();
    Batcher batcher = new Batcher("test", 8, TimeUnit.HOURS.toNanos(1), 1, () -> model, () -> 0);
    float[] out =
        assertTimeoutPreemptively(
            Duration.ofMinutes(2), () -> batcher.predict(new float[][] {{2f}}, () -> {}));
    assertArrayEquals(new float[] {20f}, out);
  }

  @Test
  void aFailedModelCallFailsEveryCallerOfTheBatch() {
    Recording model = new Recording();
    model.fail = true;
    Batcher batcher = new Batcher("test", 4, 0, 1, () -> model, () -> 0);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> batcher.predict(new float[][] {{1f}}, () -> {}));
    assertEquals("broken model", e.getMessage());
  }
}
