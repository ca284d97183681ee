package dev.lifecycle.activities.deployment.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Dynamic batching, leader/follower: the first caller to arrive opens a batch and leads it; callers
 * arriving while it is open join it. The leader waits up to the batch delay for more (up to the
 * batch size in requests, and no longer when no other request is on its way), closes the batch,
 * makes one model call for all its rows on its own thread, and hands each caller its outputs.
 * Callers arriving while a leader runs the model open the next batch, so batches can overlap and no
 * dedicated thread stands between a request and the model.
 */
final class Batcher {
  private record Pending(float[][] rows, CompletableFuture<float[]> result) {}

  private final Object lock = new Object();
  private final int maxBatch;
  private final long delayNanos;
  private final int outputsPerRow;
  private final Supplier<Predictor> predictor;
  private final IntSupplier joining;
  private List<Pending> open;

  /**
   * A batcher of up to {@code maxBatch} requests waiting up to {@code delayNanos}; {@code joining}
   * counts the requests on their way (taken in by the endpoint, not yet in a batch): when none is,
   * waiting longer cannot fill the batch, so it goes at once.
   */
  Batcher(
      String name,
      int maxBatch,
      long delayNanos,
      int outputsPerRow,
      Supplier<Predictor> predictor,
      IntSupplier joining) {
    this.maxBatch = maxBatch;
    this.delayNanos = delayNanos;
    this.outputsPerRow = outputsPerRow;
    this.predictor = predictor;
    this.joining = joining;
  }

  /**
   * The outputs for {@code rows}, computed in a batch with other callers' rows; {@code queued} runs
   * once the rows are in a batch.
   */
  float[] predict(float[][] rows, Runnable queued) {
    Pending me = new Pending(rows, new CompletableFuture<>());
    List<Pending> batch;
    boolean leader;
    synchronized (lock) {
      leader = open == null;
      if (leader) {
        open = new ArrayList<>(maxBatch);
      }
      batch = open;
      batch.add(me);
      queued.run();
      if (batch.size() >= maxBatch) {
        open = null;
      }
      lock.notifyAll();
    }
    if (leader) {
      lead(batch);
    }
    return await(me);
  }

  private void lead(List<Pending> batch) {
    synchronized (lock) {
      long deadline = System.nanoTime() + delayNanos;
      while (open == batch && joining.getAsInt() > 0) {
        long wait = deadline - System.nanoTime();
        if (wait <= 0) {
          break;
        }
        try {
          lock.wait(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (open == batch) {
        open = null;
      }
    }
    answer(batch);
  }

  private static float[] await(Pending pending) {
    try {
      return pending.result().get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a batch", e);
    }
  }

  private void answer(List<Pending> batch) {
    int rows = 0;
    for (Pending p : batch) {
      rows += p.rows().length;
    }
    float[][] all = new float[rows][];
    int r = 0;
    for (Pending p : batch) {
      for (float[] row : p.rows()) {
        all[r++] = row;
      }
    }
    float[] out;
    try {
      out = predictor.get().predict(all, rows);
    } catch (RuntimeException e) {
      batch.forEach(p -> p.result().completeExceptionally(e));
      return;
    }
    int offset = 0;
    for (Pending p : batch) {
      int n = p.rows().length * outputsPerRow;
      float[] mine = new float[n];
      System.arraycopy(out, offset, mine, 0, n);
      offset += n;
      p.result().complete(mine);
    }
  }
}
