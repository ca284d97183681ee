package dev.lifecycle.activities.deployment.serving;

import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.dsl.plan.Serving;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model version on an endpoint: its predictor (loaded at once, or on first use when
 * serverless), its batcher, its request statistics, and the count of requests in flight that a swap
 * waits for before closing it.
 */
final class ModelInstance {
  private static final Logger log = LoggerFactory.getLogger(ModelInstance.class);

  private final String endpoint;
  private final ModelSpec spec;
  private final Serving serving;
  private final ModelLoader loader;
  private final ModelMetadata metadata;
  private final InputSchema schema;
  private final Batcher batcher;
  private final RequestStats stats = new RequestStats();
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger joining = new AtomicInteger();
  private final Object loadLock = new Object();
  private volatile Predictor predictor;
  private volatile boolean closing;
  private volatile boolean closed;
  private volatile long lastUsedNanos = System.nanoTime();
  private volatile long lastColdStartMillis = -1;
  private volatile int coldStarts;
  private volatile int unloads;

  private ModelInstance(
      String endpoint, ModelSpec spec, Serving serving, ModelLoader loader, int maxInstances) {
    this.endpoint = endpoint;
    this.spec = spec;
    this.serving = serving;
    this.loader = loader;
    this.metadata = loader.metadata(spec);
    this.schema = new InputSchema(metadata, loader.transform(spec), maxInstances);
    int batch = serving.maxBatchSizeOrDefault();
    this.batcher =
        batch <= 1
            ? null
            : new Batcher(
                endpoint + "-v" + spec.version(),
                batch,
                serving.maxBatchDelayOrDefault().toNanos(),
                metadata.outputs(),
                this::loaded,
                joining::get);
  }

  /**
   * An instance of {@code spec}; unless serverless, loaded and warmed up with one prediction, so
   * that the first request it takes does not pay for loading.
   */
  static ModelInstance create(
      String endpoint, ModelSpec spec, Serving serving, ModelLoader loader, int maxInstances) {
    ModelInstance instance = new ModelInstance(endpoint, spec, serving, loader, maxInstances);
    if (serving.mode() != Serving.Mode.SERVERLESS) {
      try {
        Predictor p = instance.loaded();
        p.predict(new float[][] {new float[instance.metadata.inputWidth()]}, 1);
      } catch (RuntimeException e) {
        instance.closeNow();
        throw e;
      }
    }
    return instance;
  }

  ModelSpec spec() {
    return spec;
  }

  int version() {
    return spec.version();
  }

  Serving serving() {
    return serving;
  }

  ModelMetadata metadata() {
    return metadata;
  }

  InputSchema schema() {
    return schema;
  }

  RequestStats stats() {
    return stats;
  }

  boolean isLoaded() {
    return predictor != null;
  }

  long lastColdStartMillis() {
    return lastColdStartMillis;
  }

  int coldStarts() {
    return coldStarts;
  }

  int unloads() {
    return unloads;
  }

  /** Counts a request in; false when the instance is closing (the caller picks again). */
  boolean tryAcquire() {
    inflight.incrementAndGet();
    if (closing) {
      release();
      return false;
    }
    joining.incrementAndGet();
    lastUsedNanos = System.nanoTime();
    return true;
  }

  /**
   * The request taken in by {@link #tryAcquire} will not join a batch (it was rejected), or has
   * joined one: it no longer counts as on its way.
   */
  void joined() {
    joining.decrementAndGet();
  }

  void release() {
    lastUsedNanos = System.nanoTime();
    if (inflight.decrementAndGet() == 0 && closing) {
      synchronized (inflight) {
        inflight.notifyAll();
      }
    }
  }

  /**
   * The outputs for {@code rows} of a request taken in by {@link #tryAcquire} (which counts as
   * joined from here on); a model failure is a {@link ModelFailureException}.
   */
  float[] predict(float[][] rows) {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      float[] out;
      if (batcher != null) {
        out = batcher.predict(rows, this::joined);
      } else {
        joined();
        out = loaded().predict(rows, rows.length);
      }
      failed = false;
      return out;
    } catch (RuntimeException e) {
      throw e instanceof ModelFailureException m
          ? m
          : new ModelFailureException(endpoint, spec.version(), e);
    } finally {
      stats.record(System.nanoTime() - start, failed);
    }
  }

  /** The predictor, loading it first if it is not loaded (a cold start). */
  private Predictor loaded() {
    Predictor p = predictor;
    if (p != null) {
      return p;
    }
    synchronized (loadLock) {
      if (predictor == null) {
        if (closed) {
          throw new IllegalStateException(
              "Endpoint '" + endpoint + "' version " + spec.version() + " is closed");
        }
        long start = System.nanoTime();
        predictor = loader.load(spec);
        if (serving.mode() == Serving.Mode.SERVERLESS) {
          lastColdStartMillis = (System.nanoTime() - start) / 1_000_000;
          coldStarts++;
          log.info(
              "Endpoint '{}' loaded {} v{} in {} ms (cold start)",
              endpoint,
              spec.modelName(),
              spec.version(),
              lastColdStartMillis);
        }
      }
      return predictor;
    }
  }

  /** Serverless: unloads the model when no request came for {@code idle}. */
  void unloadIfIdle(Duration idle) {
    if (predictor == null || inflight.get() > 0) {
      return;
    }
    synchronized (loadLock) {
      if (predictor != null
          && inflight.get() == 0
          && System.nanoTime() - lastUsedNanos >= idle.toNanos()) {
        predictor.close();
        predictor = null;
        unloads++;
        log.info("Endpoint '{}' unloaded v{} after {} idle", endpoint, spec.version(), idle);
      }
    }
  }

  /** Refuses new requests, waits for those in flight, then closes the model. */
  void drainAndClose() {
    closing = true;
    synchronized (inflight) {
      while (inflight.get() > 0) {
        try {
          inflight.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    closeNow();
  }

  private void closeNow() {
    closing = true;
    synchronized (loadLock) {
      closed = true;
      if (predictor != null) {
        predictor.close();
        predictor = null;
      }
    }
  }
}
