package dev.lifecycle.workflows;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.EvaluationActivities;
import dev.lifecycle.workflows.activities.ProductionModel;
import dev.lifecycle.workflows.activities.RegistryActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stand-ins for every step activity: each returns a made-up artifact per artifact output of its
 * step (its URI names the run, step and output, so tests can follow it downstream), made-up
 * metrics, and records what it was asked. Behaviour is set per test: a metric value, a step that
 * fails, steps that must meet (to prove they overlap), steps that block.
 */
final class FakeActivities
    implements DataActivities,
        TrainingActivities,
        EvaluationActivities,
        RegistryActivities,
        DeploymentActivities {

  /** One activity call as the fake saw it. */
  record Call(String activity, StepTask task, String worker, long startNanos, long endNanos) {
    String step() {
      return task.stepName();
    }
  }

  /** A model registry in memory: versions with their metrics, and the production alias. */
  static final class Registry {
    private final Map<String, List<Map<String, Double>>> versions = new ConcurrentHashMap<>();
    private final Map<String, Integer> production = new ConcurrentHashMap<>();

    /** Every SetApproval call, in order. */
    final List<dev.lifecycle.workflows.activities.VersionApproval> approvals =
        new java.util.concurrent.CopyOnWriteArrayList<>();

    synchronized int register(String model, Map<String, Double> metrics) {
      List<Map<String, Double>> list =
          versions.computeIfAbsent(model, m -> new java.util.ArrayList<>());
      list.add(Map.copyOf(metrics));
      return list.size();
    }

    synchronized void promote(String model, int version) {
      production.put(model, version);
    }

    synchronized ProductionModel production(String model) {
      Integer version = production.get(model);
      return version == null
          ? new ProductionModel(model, null, Map.of())
          : new ProductionModel(model, version, versions.get(model).get(version - 1));
    }

    /** The version in production, or null. */
    synchronized Integer productionVersion(String model) {
      return production.get(model);
    }
  }

  private final Registry registry = new Registry();
  private final String worker;
  private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private volatile double rmse = 2.13;
  private volatile String failingStep;
  private volatile String failureType = FailureTypes.INVALID_DATA;
  private volatile String flakyStep;
  private volatile Set<String> meeting = Set.of();
  private volatile CountDownLatch meetingPoint = new CountDownLatch(0);
  private volatile Set<String> blocked = Set.of();
  private final CountDownLatch unblock = new CountDownLatch(1);

  FakeActivities(String worker) {
    this.worker = worker;
  }

  FakeActivities() {
    this("main");
  }

  /** The test RMSE that evaluate steps report. */
  FakeActivities rmse(double value) {
    rmse = value;
    return this;
  }

  /** {@code step} fails with a non-retryable failure of {@code type}. */
  FakeActivities failing(String step, String type) {
    failingStep = step;
    failureType = type;
    return this;
  }

  /** {@code step} fails once with a transient error, then succeeds. */
  FakeActivities flaky(String step) {
    flakyStep = step;
    return this;
  }

  /** Each of {@code steps} waits until all of them have started: only overlap lets them finish. */
  FakeActivities meeting(String... steps) {
    meeting = Set.of(steps);
    meetingPoint = new CountDownLatch(steps.length);
    return this;
  }

  /** {@code steps} block until {@link #release()}. */
  FakeActivities blocking(String... steps) {
    blocked = Set.of(steps);
    return this;
  }

  void release() {
    unblock.countDown();
  }

  /** The registry the register, deploy and production look-ups of this fake share. */
  Registry registry() {
    return registry;
  }

  List<Call> calls() {
    return List.copyOf(calls);
  }

  Call call(String step) {
    return calls.stream()
        .filter(c -> c.step().equals(step))
        .findFirst()
        .orElseThrow(() -> new AssertionError("No call for step '" + step + "' in " + calls));
  }

  int attempts(String step) {
    AtomicInteger count = attempts.get(step);
    return count == null ? 0 : count.get();
  }

  /** The made-up reference a fake returns for {@code output} of {@code step} in {@code runId}. */
  static ArtifactRef artifact(String runId, String step, String output, ValueType type) {
    String uri = "fake://" + runId + "/" + step + "/" + output;
    return new ArtifactRef(uri, sha256(uri), uri.length() * 10L, type, format(type));
  }

  @Override
  public StepResult ingest(StepTask task) {
    return run(
        "Ingest", task, b -> b.summary("4177 rows, 9 columns from " + task.string("source")));
  }

  @Override
  public StepResult split(StepTask task) {
    task.artifact("dataset");
    return run("Split", task, b -> b.summary("3341 / 418 / 418 rows"));
  }

  @Override
  public StepResult features(StepTask task) {
    task.artifact("train");
    return run("Features", task, b -> b.summary("10 features"));
  }

  @Override
  public StepResult train(StepTask task) {
    task.artifact("train");
    int epochs = task.integer("epochs");
    return run(
        "Train",
        task,
        b ->
            b.metric("train_loss", 4.2)
                .metric("validation_loss", 4.6)
                .summary(epochs + " epochs on " + worker));
  }

  @Override
  public StepResult evaluate(StepTask task) {
    task.artifact("model");
    double value = rmse;
    return run(
        "Evaluate",
        task,
        b -> {
          b.metric("rmse", value)
              .metric("mse", value * value)
              .metric("mae", value * 0.7)
              .metric("r2", 0.55)
              .summary("rmse " + value);
        });
  }

  @Override
  public StepResult register(StepTask task) {
    ArtifactRef model = task.artifact("model");
    String name = ((dev.lifecycle.dsl.plan.Register) task.step()).modelName();
    Map<String, Double> metrics = new java.util.TreeMap<>();
    task.values()
        .forEach(
            (input, value) -> {
              if (input.startsWith("metric.")) {
                metrics.put(input.substring("metric.".length()), ((Number) value).doubleValue());
              }
            });
    return run(
        "Register",
        task,
        b -> {
          int version = registry.register(name, metrics);
          b.value("version", version).artifact("model", model).summary("v" + version);
        });
  }

  @Override
  public ProductionModel productionMetrics(String modelName) {
    return registry.production(modelName);
  }

  @Override
  public void setApproval(dev.lifecycle.workflows.activities.VersionApproval approval) {
    registry.approvals.add(approval);
  }

  @Override
  public StepResult batchTransform(StepTask task) {
    task.artifact("model");
    return run("BatchTransform", task, b -> b.summary("418 predictions"));
  }

  @Override
  public StepResult deploy(StepTask task) {
    task.artifact("model");
    dev.lifecycle.dsl.plan.Deploy step = (dev.lifecycle.dsl.plan.Deploy) task.step();
    String endpoint = step.endpoint();
    registry.promote(step.modelName(), task.integer("version"));
    return run(
        "Deploy",
        task,
        b ->
            b.value("endpoint", endpoint)
                .value("url", "/endpoints/" + endpoint + "/invocations")
                .summary("serving at /endpoints/" + endpoint));
  }

  private StepResult run(
      String activity, StepTask task, java.util.function.Consumer<StepResult.Builder> fill) {
    long start = System.nanoTime();
    String step = task.stepName();
    int attempt = attempts.computeIfAbsent(step, s -> new AtomicInteger()).incrementAndGet();
    try {
      if (meeting.contains(step)) {
        meetingPoint.countDown();
        if (!meetingPoint.await(20, TimeUnit.SECONDS)) {
          throw ApplicationFailure.newNonRetryableFailure(
              "Step '" + step + "' ran alone: its partners never started", "NotParallel");
        }
      }
      if (blocked.contains(step)) {
        while (!unblock.await(100, TimeUnit.MILLISECONDS)) {
          Activity.getExecutionContext().heartbeat(step);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    if (step.equals(failingStep)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "column 'Rings' is not numeric in " + task.run().pipeline(), failureType);
    }
    if (step.equals(flakyStep) && attempt == 1) {
      throw new IllegalStateException("connection reset by peer");
    }
    StepResult.Builder builder = StepResult.builder();
    task.step()
        .outputs()
        .forEach(
            (output, type) -> {
              if (type.isArtifact()) {
                builder.artifact(output, artifact(task.run().runId(), step, output, type));
              }
            });
    fill.accept(builder);
    calls.add(new Call(activity, task, worker, start, System.nanoTime()));
    return builder.build();
  }

  private static String format(ValueType type) {
    return switch (type) {
      case DATASET, PREDICTIONS -> "parquet";
      case MODEL -> "djl";
      default -> "json";
    };
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
