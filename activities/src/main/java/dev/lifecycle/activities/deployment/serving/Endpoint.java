package dev.lifecycle.activities.deployment.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.store.EndpointStore;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A named endpoint: routes each request to a model version (all to one, or split while a new
 * version bakes), validates it against that version's schema, predicts, and captures a share of
 * requests. Swapping versions never fails a request: the new version is loaded before it takes
 * traffic, and the old one closes only when its last request has been answered.
 */
public final class Endpoint {
  /** Canary share when the plan gives none. */
  static final int DEFAULT_CANARY_PERCENT = 10;

  /**
   * Who routes where: {@code candidate} takes {@code candidatePercent} while {@code rollout} runs.
   */
  private record Routing(
      ModelInstance primary, ModelInstance candidate, int candidatePercent, Rollout rollout) {}

  private static final Logger log = LoggerFactory.getLogger(Endpoint.class);

  private final String name;
  private final ServingRuntime runtime;
  private final AtomicReference<Routing> routing = new AtomicReference<>();
  private final List<RollbackEvent> rollbacks = new CopyOnWriteArrayList<>();
  private final AtomicLong sampled = new AtomicLong();
  private volatile boolean closed;

  Endpoint(String name, ServingRuntime runtime) {
    this.name = name;
    this.runtime = runtime;
  }

  /** The endpoint's name. */
  public String name() {
    return name;
  }

  /** The registry name of the model served. */
  public String modelName() {
    return routing.get().primary().spec().modelName();
  }

  /** The version taking the bulk of traffic. */
  public int version() {
    return routing.get().primary().version();
  }

  /** The serving options of that version. */
  public Serving serving() {
    return routing.get().primary().serving();
  }

  /** How many rollbacks {@link #rollbacks()} shows at most. */
  static final int ROLLBACKS_SHOWN = 50;

  /**
   * The last rollbacks on this endpoint, oldest first, by any worker and before restarts (read from
   * the metadata database); those this runtime saw when the database cannot be read.
   */
  public List<RollbackEvent> rollbacks() {
    try {
      return runtime.endpointStore().rollbacks(name, ROLLBACKS_SHOWN).stream()
          .map(r -> new RollbackEvent(r.at(), r.fromVersion(), r.backToVersion(), r.reason()))
          .toList();
    } catch (RuntimeException e) {
      log.warn("Endpoint '{}': cannot read its rollbacks: {}", name, e.getMessage());
      return List.copyOf(rollbacks);
    }
  }

  /**
   * Answers {@code body} ({@code {"instances": [...]}}).
   *
   * @throws InvalidInputException naming the field when the body does not fit the model's schema
   * @throws ModelFailureException when the model fails
   */
  public Prediction invoke(JsonNode body) {
    ModelInstance instance = acquire();
    Rollout rollout = null;
    boolean joining = true;
    try {
      float[][] rows = instance.schema().rows(body);
      joining = false;
      float[] out = instance.predict(rows);
      Prediction prediction = format(instance, rows.length, out);
      capture(instance, body.get(InputSchema.INSTANCES), rows, prediction);
      return prediction;
    } finally {
      if (joining) {
        instance.joined();
      }
      instance.release();
      Routing now = routing.get();
      if (now.rollout() != null && now.candidate() == instance) {
        rollout = now.rollout();
      }
      if (rollout != null) {
        rollout.check();
      }
    }
  }

  /** Checks {@code body} against the serving version's schema without predicting. */
  public void validate(JsonNode body) {
    routing.get().primary().schema().rows(body);
  }

  /** The endpoint's state, counters and latencies. */
  public EndpointStatus status() {
    Routing r = routing.get();
    ModelInstance primary = r.primary();
    Map<String, Integer> traffic = new LinkedHashMap<>();
    List<EndpointStatus.VersionStats> versions = new ArrayList<>();
    traffic.put(Integer.toString(primary.version()), 100 - r.candidatePercent());
    versions.add(stats(primary));
    String rollout = "NONE";
    Integer candidate = null;
    if (r.candidate() != null) {
      traffic.put(Integer.toString(r.candidate().version()), r.candidatePercent());
      versions.add(stats(r.candidate()));
      candidate = r.candidate().version();
      rollout = r.rollout().kind.name();
    }
    long cold = primary.lastColdStartMillis();
    return new EndpointStatus(
        name,
        primary.spec().modelName(),
        primary.version(),
        primary.serving().mode().name(),
        rollout,
        candidate,
        traffic,
        versions,
        primary.schema().features(),
        primary.schema().fields(),
        primary.schema().transformsRaw(),
        primary.serving().maxBatchSizeOrDefault(),
        primary.serving().captureFractionOrDefault(),
        runtime.capture().dropped(name),
        primary.isLoaded(),
        primary.coldStarts(),
        cold < 0 ? null : cold,
        rollbacks());
  }

  private static EndpointStatus.VersionStats stats(ModelInstance m) {
    RequestStats s = m.stats();
    double p50 = s.percentileMillis(0.5);
    double p99 = s.percentileMillis(0.99);
    return new EndpointStatus.VersionStats(
        m.version(),
        s.requests(),
        s.errors(),
        Double.isNaN(p50) ? null : p50,
        Double.isNaN(p99) ? null : p99);
  }

  /** Picks a version for one request and counts it in; retries when a swap closed the pick. */
  private ModelInstance acquire() {
    while (true) {
      Routing r = routing.get();
      ModelInstance pick = r.primary();
      if (r.candidate() != null
          && ThreadLocalRandom.current().nextInt(100) < r.candidatePercent()) {
        pick = r.candidate();
      }
      if (pick.tryAcquire()) {
        return pick;
      }
      if (closed) {
        throw new IllegalStateException(
            "Endpoint '" + name + "' is closed: the worker is stopping");
      }
      Thread.onSpinWait();
    }
  }

  private static Prediction format(ModelInstance instance, int rows, float[] out) {
    ModelMetadata metadata = instance.metadata();
    List<Object> predictions = new ArrayList<>(rows);
    List<Map<String, Double>> probabilities = null;
    if (metadata.task() == Task.CLASSIFICATION) {
      List<String> classes = metadata.classes();
      int k = classes.size();
      probabilities = new ArrayList<>(rows);
      for (int i = 0; i < rows; i++) {
        int best = 0;
        Map<String, Double> p = new LinkedHashMap<>();
        for (int c = 0; c < k; c++) {
          p.put(classes.get(c), (double) out[i * k + c]);
          best = out[i * k + c] > out[i * k + best] ? c : best;
        }
        predictions.add(classes.get(best));
        probabilities.add(p);
      }
    } else {
      for (int i = 0; i < rows; i++) {
        predictions.add((double) out[i]);
      }
    }
    return new Prediction(
        predictions,
        probabilities,
        instance.spec().modelName(),
        instance.version(),
        UUID.randomUUID().toString());
  }

  /**
   * Systematic sampling: request n is captured when {@code floor((n+1) f) > floor(n f)}, so exactly
   * {@code floor(N f)} of the first N requests are, spread evenly.
   */
  private void capture(
      ModelInstance instance, JsonNode instances, float[][] rows, Prediction prediction) {
    double f = instance.serving().captureFractionOrDefault();
    if (f <= 0) {
      return;
    }
    long n = sampled.getAndIncrement();
    if (Math.floor((n + 1) * f) > Math.floor(n * f)) {
      ObjectNode[] features = new ObjectNode[rows.length];
      for (int i = 0; i < rows.length; i++) {
        features[i] = instance.schema().captured(instances.get(i), rows[i]);
      }
      runtime.capture().offer(name, features, prediction);
    }
  }

  // ---- lifecycle, called by the runtime ----

  /** Serves {@code first} as the endpoint's only version. */
  void start(ModelInstance first) {
    routing.set(new Routing(first, null, 0, null));
  }

  /**
   * Rolls {@code next} out as its serving options say; completes when it takes all traffic or is
   * rolled back. A rollout still baking is rolled back first (superseded).
   */
  synchronized CompletableFuture<RolloutOutcome> rollOut(ModelInstance next) {
    Routing current = routing.get();
    if (current.rollout() != null) {
      current.rollout().rollback("superseded by version " + next.version());
      current = routing.get();
    }
    ModelInstance from = current.primary();
    Serving.Rollout kind = next.serving().rolloutOrDefault();
    if (kind == Serving.Rollout.ALL_AT_ONCE) {
      routing.set(new Routing(next, null, 0, null));
      runtime.closeLater(from);
      return CompletableFuture.completedFuture(
          new RolloutOutcome(name, next.version(), true, null));
    }
    int percent =
        kind == Serving.Rollout.CANARY
            ? next.serving().canaryPercent() == null
                ? DEFAULT_CANARY_PERCENT
                : next.serving().canaryPercent()
            : 100;
    Rollout rollout = new Rollout(kind, from, next);
    routing.set(new Routing(from, next, percent, rollout));
    rollout.timer =
        runtime
            .scheduler()
            .schedule(
                rollout::bakeEnded,
                next.serving().bakeOrDefault().toMillis(),
                TimeUnit.MILLISECONDS);
    return rollout.outcome;
  }

  /**
   * Swaps {@code next} in at once, as a version another worker promoted: false (and nothing
   * changes) while a rollout bakes here.
   */
  synchronized boolean adopt(ModelInstance next) {
    Routing current = routing.get();
    if (current.rollout() != null) {
      return false;
    }
    routing.set(new Routing(next, null, 0, null));
    runtime.closeLater(current.primary());
    return true;
  }

  /** Serverless: unloads idle versions. */
  void unloadIdle() {
    Routing r = routing.get();
    if (r == null) {
      return;
    }
    for (ModelInstance m : new ModelInstance[] {r.primary(), r.candidate()}) {
      if (m != null && m.serving().mode() == Serving.Mode.SERVERLESS) {
        m.unloadIfIdle(m.serving().idleOrDefault());
      }
    }
  }

  /** Stops serving: drains and closes every version. */
  void close() {
    closed = true;
    Routing r = routing.get();
    if (r == null) {
      return;
    }
    if (r.rollout() != null) {
      // A worker stopping is no verdict on the version: not kept in the rollback history.
      r.rollout().rollback("the endpoint closed", false);
    }
    routing.get().primary().drainAndClose();
  }

  /** A version baking beside the serving one, watched by the alarms. */
  private final class Rollout {
    final Serving.Rollout kind;
    final ModelInstance from;
    final ModelInstance to;
    final CompletableFuture<RolloutOutcome> outcome = new CompletableFuture<>();
    final AtomicBoolean done = new AtomicBoolean();
    volatile ScheduledFuture<?> timer;

    Rollout(Serving.Rollout kind, ModelInstance from, ModelInstance to) {
      this.kind = kind;
      this.from = from;
      this.to = to;
    }

    /** Rolls back when an alarm trips on the new version's requests so far. */
    void check() {
      if (done.get()) {
        return;
      }
      RequestStats s = to.stats();
      long requests = s.requests();
      if (requests < runtime.options().minAlarmRequests()) {
        return;
      }
      double errorRate = s.errorRate();
      Serving serving = to.serving();
      if (errorRate > serving.maxErrorRateOrDefault()) {
        rollback(
            String.format(
                Locale.ROOT,
                "error-rate alarm: %d of %d requests to version %d failed (%.3f > %.3f)",
                s.errors(),
                requests,
                to.version(),
                errorRate,
                serving.maxErrorRateOrDefault()));
        return;
      }
      if (serving.maxP99Latency() != null) {
        double p99 = s.percentileMillis(0.99);
        double limit = serving.maxP99Latency().toNanos() / 1e6;
        if (p99 > limit) {
          rollback(
              String.format(
                  Locale.ROOT,
                  "latency alarm: p99 of version %d is %.1f ms over %d requests (> %.1f ms)",
                  to.version(),
                  p99,
                  requests,
                  limit));
        }
      }
    }

    void bakeEnded() {
      check();
      synchronized (Endpoint.this) {
        if (!done.compareAndSet(false, true)) {
          return;
        }
        routing.set(new Routing(to, null, 0, null));
      }
      runtime.closeLater(from);
      outcome.complete(new RolloutOutcome(name, to.version(), true, null));
    }

    void rollback(String reason) {
      rollback(reason, true);
    }

    void rollback(String reason, boolean record) {
      synchronized (Endpoint.this) {
        if (!done.compareAndSet(false, true)) {
          return;
        }
        routing.set(new Routing(from, null, 0, null));
      }
      ScheduledFuture<?> t = timer;
      if (t != null) {
        t.cancel(false);
      }
      RollbackEvent event = new RollbackEvent(Instant.now(), to.version(), from.version(), reason);
      rollbacks.add(event);
      if (record) {
        try {
          runtime
              .endpointStore()
              .recordRollback(
                  new EndpointStore.RollbackRecord(
                      name, event.fromVersion(), event.backToVersion(), reason, event.at()));
        } catch (RuntimeException e) {
          log.warn("Endpoint '{}': cannot record its rollback: {}", name, e.getMessage());
        }
      }
      runtime.closeLater(to);
      outcome.complete(new RolloutOutcome(name, to.version(), false, reason));
    }
  }
}
