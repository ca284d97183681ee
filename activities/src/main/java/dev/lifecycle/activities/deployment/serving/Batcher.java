package dev.lifecycle.activities.deployment.serving;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Dynamic batching: callers queue their rows; one thread takes the first waiting request, waits up
 * to the batch delay for more (up to the batch size in requests, and no longer once every request
 * in flight has joined), makes one model call for all their rows, and hands each caller its own
 * outputs.
 */
final class Batcher {
  private record Pending(float[][] rows, CompletableFuture<float[]> result) {}

  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final int maxBatch;
  private final long delayNanos;
  private final int outputsPerRow;
  private final Supplier<Predictor> predictor;
  private final IntSupplier joining;
  private final Thread thread;
  private volatile boolean stopped;

  /**
   * A batcher of up to {@code maxBatch} requests waiting up to {@code delayNanos}; {@code joining}
   * counts the requests on their way (taken in by the endpoint, not yet queued): when none is,
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
    this.thread = new Thread(this::run, "batcher-" + name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * The outputs for {@code rows}, computed in a batch with other callers' rows; {@code queued} runs
   * once the rows wait in the queue.
   */
  float[] predict(float[][] rows, Runnable queued) {
    Pending pending = new Pending(rows, new CompletableFuture<>());
    queue.add(pending);
    queued.run();
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

  /** Stops the thread once the queue is empty (the endpoint drains before it stops). */
  void stop() {
    stopped = true;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (!stopped || !queue.isEmpty()) {
      Pending first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == null) {
        continue;
      }
      batch.clear();
      batch.add(first);
      long deadline = System.nanoTime() + delayNanos;
      while (batch.size() < maxBatch) {
        Pending next = queue.poll();
        if (next == null) {
          if (joining.getAsInt() <= 0) {
            break;
          }
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          try {
            next = queue.poll(wait, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
          if (next == null) {
            break;
          }
        }
        batch.add(next);
      }
      answer(batch);
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
