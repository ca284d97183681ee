package dev.lifecycle.activities.store;

import static dev.lifecycle.activities.store.MetadataStoreTest.ref;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ExperimentStoreTest {
  @TempDir Path tempDir;

  static NewExperimentRun newRun(String pipeline, String runId, double learningRate) {
    return new NewExperimentRun(
        "wf-" + runId,
        runId,
        "train",
        pipeline,
        Map.of("rmseThreshold", 2.5),
        Map.of("epochs", 3, "batchSize", 32, "learningRate", learningRate, "architecture", "mlp"),
        ref("train", ValueType.DATASET, "parquet"),
        ref("validation", ValueType.DATASET, "parquet"),
        null);
  }

  private static ArtifactRef model(String seed) {
    return ref(seed, ValueType.MODEL, "djl");
  }

  /** Starts and finishes a run of {@code pipeline} with these final metrics. */
  private static ExperimentRun succeeded(
      ExperimentStore experiments,
      String pipeline,
      String runId,
      double learningRate,
      Map<String, Double> metrics) {
    long id = experiments.start(newRun(pipeline, runId, learningRate)).id();
    experiments.succeeded(id, metrics, model("m" + runId));
    return experiments.get(id).orElseThrow();
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void recordsARunWithItsEpochsAndResult(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ExperimentStore experiments = store.experiments();
      ExperimentRun started = experiments.start(newRun("abalone", "r1", 0.01));
      assertEquals(ExperimentStatus.RUNNING, started.status());
      assertNull(started.endedAt());
      assertNull(started.durationMillis());
      assertEquals(Map.of(), started.finalMetrics());

      ArtifactRef checkpoint = model("ckpt3");
      experiments.recordEpoch(started.id(), new EpochMetrics(1, 3.0, 3.5, 100), model("ckpt1"));
      experiments.recordEpoch(started.id(), new EpochMetrics(2, 2.0, null, 200), model("ckpt2"));
      experiments.recordEpoch(started.id(), new EpochMetrics(3, 1.0, 1.5, 300), checkpoint);
      experiments.succeeded(
          started.id(), Map.of("train_loss", 1.0, "validation_loss", 1.5), model("final"));

      ExperimentRun run = experiments.get(started.id()).orElseThrow();
      assertEquals(ExperimentStatus.SUCCEEDED, run.status());
      assertEquals("wf-r1", run.workflowId());
      assertEquals("abalone", run.pipeline());
      assertEquals(Map.of("rmseThreshold", 2.5), run.parameters());
      assertEquals(0.01, run.hyperparameters().get("learningRate"));
      assertEquals(3, run.hyperparameters().get("epochs"));
      assertEquals(ref("train", ValueType.DATASET, "parquet").sha256(), run.trainSha256());
      assertEquals(ref("validation", ValueType.DATASET, "parquet").uri(), run.validationUri());
      assertEquals(Map.of("train_loss", 1.0, "validation_loss", 1.5), run.finalMetrics());
      assertEquals(model("final").uri(), run.modelUri());
      assertEquals(checkpoint.uri(), run.checkpointUri());
      assertEquals(checkpoint.sha256(), run.checkpointSha256());
      assertNotNull(run.endedAt());
      assertTrue(run.durationMillis() >= 0, run.toString());
      assertEquals(
          List.of(
              new EpochMetrics(1, 3.0, 3.5, 100),
              new EpochMetrics(2, 2.0, null, 200),
              new EpochMetrics(3, 1.0, 1.5, 300)),
          experiments.epochs(run.id()));
      assertTrue(experiments.get(run.id() + 1000).isEmpty());
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void retriedAttemptUpdatesTheSameRunWithoutDuplicatingEpochs(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ExperimentStore experiments = store.experiments();
      long id = experiments.start(newRun("abalone", "r1", 0.01)).id();
      experiments.recordEpoch(id, new EpochMetrics(1, 3.0, 3.5, 100), model("c1"));
      experiments.recordEpoch(id, new EpochMetrics(2, 2.0, 2.5, 200), model("c2"));
      experiments.ended(id, ExperimentStatus.FAILED, "worker lost");
      ExperimentRun failed = experiments.get(id).orElseThrow();
      assertEquals(ExperimentStatus.FAILED, failed.status());
      assertEquals("worker lost", failed.error());

      ExperimentRun retried = experiments.start(newRun("abalone", "r1", 0.01));
      assertEquals(id, retried.id());
      assertEquals(ExperimentStatus.RUNNING, retried.status());
      assertNull(retried.error());
      assertNull(retried.endedAt());
      assertEquals(failed.startedAt(), retried.startedAt());
      // The retry resumed from the checkpoint of epoch 1 and trains epoch 2 again.
      experiments.recordEpoch(id, new EpochMetrics(2, 1.9, 2.4, 210), model("c2b"));
      experiments.recordEpoch(id, new EpochMetrics(3, 1.0, 1.5, 300), model("c3"));

      assertEquals(
          List.of(
              new EpochMetrics(1, 3.0, 3.5, 100),
              new EpochMetrics(2, 1.9, 2.4, 210),
              new EpochMetrics(3, 1.0, 1.5, 300)),
          experiments.epochs(id));
      assertEquals(1, experiments.list(null, null, 10).size());
      assertThrows(
          IllegalArgumentException.class,
          () -> experiments.ended(id, ExperimentStatus.SUCCEEDED, "x"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void listsNewestFirstFilteredByPipelineAndStatus(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ExperimentStore experiments = store.experiments();
      long a1 = succeeded(experiments, "a", "r1", 0.01, Map.of("rmse", 2.0)).id();
      long b1 = experiments.start(newRun("b", "r2", 0.01)).id();
      long a2 = experiments.start(newRun("a", "r3", 0.01)).id();
      experiments.ended(a2, ExperimentStatus.CANCELLED, "cancelled by the user");

      assertEquals(List.of(a2, b1, a1), ids(experiments.list(null, null, 10)));
      assertEquals(List.of(a2, b1), ids(experiments.list(null, null, 2)));
      assertEquals(List.of(a2, a1), ids(experiments.list("a", null, 10)));
      assertEquals(List.of(a1), ids(experiments.list("a", ExperimentStatus.SUCCEEDED, 10)));
      assertEquals(List.of(b1), ids(experiments.list(null, ExperimentStatus.RUNNING, 10)));
      assertEquals(List.of(), experiments.list("unknown", null, 10));
      assertThrows(IllegalArgumentException.class, () -> experiments.list(null, null, 0));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void comparesRunsAndNamesTheDifferences(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ExperimentStore experiments = store.experiments();
      ExperimentRun one = succeeded(experiments, "a", "r1", 0.01, Map.of("rmse", 2.0, "mae", 1.0));
      ExperimentRun two = succeeded(experiments, "a", "r2", 0.001, Map.of("rmse", 1.5, "mae", 1.0));

      ExperimentComparison comparison = experiments.compare(List.of(one.id(), two.id()));
      assertEquals(List.of(one.id(), two.id()), ids(comparison.runs()));
      assertEquals(0.01, comparison.hyperparameters().get("learningRate").get(one.id()));
      assertEquals(0.001, comparison.hyperparameters().get("learningRate").get(two.id()));
      assertEquals(2.0, comparison.metrics().get("rmse").get(one.id()));
      assertEquals(one.trainSha256(), comparison.data().get("train").get(two.id()));
      assertEquals(
          List.of("hyperparameters.learningRate", "metrics.rmse"), comparison.differences());

      UnknownExperimentRunException unknown =
          assertThrows(
              UnknownExperimentRunException.class,
              () -> experiments.compare(List.of(one.id(), 999L, 998L)));
      assertEquals(List.of(999L, 998L), unknown.ids());
      assertTrue(unknown.getMessage().contains("999"), unknown.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> experiments.compare(List.of(one.id(), one.id())));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabase.class)
  void picksTheBestRunByAMetricInEitherDirection(TestDatabase kind) {
    try (TestDatabase.Instance db = kind.create(tempDir);
        MetadataStore store = db.open()) {
      ExperimentStore experiments = store.experiments();
      assertTrue(experiments.best("a", "rmse", null).isEmpty());
      ExperimentRun low =
          succeeded(experiments, "a", "r1", 0.01, Map.of("rmse", 1.2, "accuracy", 0.7));
      ExperimentRun high =
          succeeded(experiments, "a", "r2", 0.02, Map.of("rmse", 2.0, "accuracy", 0.9));
      ExperimentRun otherPipeline = succeeded(experiments, "b", "r3", 0.02, Map.of("rmse", 0.1));
      // A run still training has no final metrics and never wins.
      experiments.start(newRun("a", "r4", 0.03));

      assertEquals(low.id(), experiments.best("a", "rmse", null).orElseThrow().id());
      assertEquals(high.id(), experiments.best("a", "accuracy", null).orElseThrow().id());
      assertEquals(
          high.id(), experiments.best("a", "rmse", MetricDirection.MAX).orElseThrow().id());
      assertEquals(otherPipeline.id(), experiments.best(null, "rmse", null).orElseThrow().id());

      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> experiments.best("a", "auc", null));
      assertTrue(e.getMessage().contains("'auc'"), e.getMessage());
      assertTrue(e.getMessage().contains("[accuracy, rmse]"), e.getMessage());
    }
  }

  @Test
  void infersTheDirectionFromTheMetricName() {
    assertEquals(MetricDirection.MIN, MetricDirection.infer("validation_loss"));
    assertEquals(MetricDirection.MIN, MetricDirection.infer("rmse"));
    assertEquals(MetricDirection.MIN, MetricDirection.infer("test-error"));
    assertEquals(MetricDirection.MAX, MetricDirection.infer("accuracy"));
    assertEquals(MetricDirection.MAX, MetricDirection.infer("auc"));
    assertEquals(MetricDirection.MAX, MetricDirection.infer("r2"));
    assertEquals(MetricDirection.MAX, MetricDirection.parse("Max"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MetricDirection.parse("up"));
    assertTrue(e.getMessage().contains("'up'"), e.getMessage());
  }

  private static List<Long> ids(List<ExperimentRun> runs) {
    return runs.stream().map(ExperimentRun::id).toList();
  }
}
