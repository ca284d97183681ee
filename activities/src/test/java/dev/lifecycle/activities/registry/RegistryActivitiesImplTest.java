package dev.lifecycle.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.ApprovalStatus;
import dev.lifecycle.activities.store.LineageEdge;
import dev.lifecycle.activities.store.LineageStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RegistryActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryActivitiesImplTest {
  private static final ArtifactRef MODEL =
      new ArtifactRef("file:///store/sha256/aa/aa11", "aa11", 1234, ValueType.MODEL, "djl");
  private static final ArtifactRef DATASET =
      new ArtifactRef("file:///store/sha256/bb/bb22", "bb22", 5678, ValueType.DATASET, "parquet");

  @TempDir Path home;
  private MetadataStore metadata;
  private RegistryActivitiesImpl registry;

  @BeforeEach
  void open() {
    metadata = MetadataStore.open(LifecycleSettings.of(home, null, null, null));
    registry = new RegistryActivitiesImpl(metadata);
  }

  @AfterEach
  void close() {
    metadata.close();
  }

  @Test
  void registersTheModelWithMetricsDataVersionAndRun() {
    Map<String, Operand> declared = new LinkedHashMap<>();
    declared.put("rmse", new MetricRef("evaluate", "rmse"));
    declared.put("mae", new MetricRef("evaluate", "mae"));
    StepResult result =
        registry.register(
            task("run-1", register(true, declared), Map.of("rmse", 2.1349, "mae", 1.5)));

    assertEquals(1, result.values().get("version"));
    assertEquals(MODEL, result.artifacts().get("model"));
    assertEquals("abalone-age v1 (rmse 2.13, mae 1.5)", result.summary());

    ModelVersion v = metadata.models().get("abalone-age", 1).orElseThrow();
    assertEquals(MODEL, v.artifact());
    assertEquals(Map.of("rmse", 2.1349, "mae", 1.5), v.metrics());
    assertEquals(DATASET.uri(), v.datasetUri());
    assertEquals(DATASET.sha256(), v.datasetSha256());
    assertEquals("planhash", v.planHash());
    assertEquals(Map.of("rmseThreshold", 2.5, "epochs", 60), v.parameters());
    assertEquals("wf-run-1", v.workflowId());
    assertEquals("run-1", v.runId());
    assertEquals("register", v.step());
    assertEquals(ApprovalStatus.PENDING, v.approval());

    List<LineageEdge> lineage = metadata.lineage().upstream(MODEL.sha256());
    assertEquals(1, lineage.size());
    assertEquals(LineageStore.TRAINED_ON, lineage.get(0).relation());
    assertEquals(DATASET.sha256(), lineage.get(0).toSha256());
  }

  @Test
  void aRetriedRegistrationReturnsTheSameVersion() {
    StepResult first = registry.register(task("run-1", register(true), Map.of("rmse", 2.0)));
    StepResult retry = registry.register(task("run-1", register(true), Map.of("rmse", 2.0)));
    StepResult next = registry.register(task("run-2", register(true), Map.of("rmse", 1.9)));

    assertEquals(first, retry);
    assertEquals(2, next.values().get("version"));
    assertEquals("abalone-age v2 (rmse 1.9)", next.summary());
    assertEquals(2, metadata.models().list("abalone-age").size());
    assertEquals(2, metadata.lineage().upstream(MODEL.sha256()).size());
  }

  @Test
  void listsUndeclaredMetricsByName() {
    StepResult result =
        registry.register(task("run-1", register(true), Map.of("r2", 0.5, "mae", 1.25, "x", 3.0)));
    assertEquals("abalone-age v1 (mae 1.25, r2 0.5, x 3)", result.summary());
  }

  @Test
  void registersWithoutADataset() {
    StepResult result = registry.register(task("run-1", register(false), Map.of()));
    assertEquals("abalone-age v1", result.summary());
    assertNull(metadata.models().latest("abalone-age").orElseThrow().datasetSha256());
    assertEquals(List.of(), metadata.lineage().upstream(MODEL.sha256()));
  }

  @Test
  void rejectsAStepOfAnotherKind() {
    Step fail = new Fail("stop", "no", List.of(), null);
    ApplicationFailure e =
        assertThrows(ApplicationFailure.class, () -> registry.register(task("r", fail, Map.of())));
    assertEquals(FailureTypes.INVALID_PLAN, e.getType());
    assertTrue(e.getOriginalMessage().contains("'stop'"));
  }

  @Test
  void worksThroughTemporal() {
    TestActivityEnvironment env =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    try {
      env.registerActivitiesImplementations(registry);
      RegistryActivities stub =
          env.newActivityStub(
              RegistryActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(1))
                  .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                  .build());
      StepResult result = stub.register(task("run-1", register(true), Map.of("rmse", 2.5)));
      assertEquals(1, ((Number) result.values().get("version")).intValue());
      assertEquals(MODEL, result.artifacts().get("model"));

      Map<String, Object> noMetric = new HashMap<>();
      StepTask missing =
          new StepTask(
              new RunInfo("wf", "run-2", "abalone", "h", Map.of()),
              register(true, Map.of("rmse", new MetricRef("evaluate", "rmse"))),
              Map.of("model", MODEL, "dataset", DATASET),
              noMetric);
      ActivityFailure failure = assertThrows(ActivityFailure.class, () -> stub.register(missing));
      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
      assertEquals(FailureTypes.INVALID_PLAN, cause.getType());
      assertTrue(cause.getOriginalMessage().contains("metric.rmse"), cause.getOriginalMessage());
    } finally {
      env.close();
    }
  }

  private static Register register(boolean withDataset) {
    return register(withDataset, Map.of());
  }

  private static Register register(boolean withDataset, Map<String, Operand> metrics) {
    return new Register(
        "register",
        "abalone-age",
        new OutputRef("train", "model"),
        withDataset ? new OutputRef("ingest", "dataset") : null,
        metrics,
        null,
        null);
  }

  private static StepTask task(String runId, Step step, Map<String, Double> metrics) {
    Map<String, ArtifactRef> artifacts = new LinkedHashMap<>();
    artifacts.put("model", MODEL);
    if (step instanceof Register r && r.dataset() != null) {
      artifacts.put("dataset", DATASET);
    }
    Map<String, Object> values = new LinkedHashMap<>();
    metrics.forEach((name, value) -> values.put("metric." + name, value));
    return new StepTask(
        new RunInfo(
            "wf-" + runId,
            runId,
            "abalone",
            "planhash",
            Map.of("rmseThreshold", 2.5, "epochs", 60)),
        step,
        artifacts,
        values);
  }

  @Test
  void recordsTheSuccessCriteriaVerdictAsAMetric() {
    Map<String, Operand> declared = new LinkedHashMap<>();
    declared.put("rmse", new MetricRef("evaluate", "rmse"));
    StepTask plain = task("run-c", register(true, declared), Map.of("rmse", 2.0));
    Map<String, Object> values = new HashMap<>(plain.values());
    values.put(dev.lifecycle.workflows.PipelineWorkflowImpl.SUCCESS_CRITERIA_MET, false);
    registry.register(new StepTask(plain.run(), plain.step(), plain.artifacts(), values));
    assertEquals(
        Map.of("rmse", 2.0, RegistryActivitiesImpl.CRITERIA_METRIC, 0.0),
        metadata.models().get("abalone-age", 1).orElseThrow().metrics());
  }

  @Test
  void readsTheProductionVersionWithItsMetrics() {
    assertEquals(
        new dev.lifecycle.workflows.activities.ProductionModel("abalone-age", null, Map.of()),
        registry.productionMetrics("abalone-age"));
    Map<String, Operand> declared = new LinkedHashMap<>();
    declared.put("rmse", new MetricRef("evaluate", "rmse"));
    registry.register(task("run-1", register(true, declared), Map.of("rmse", 2.5)));
    registry.register(task("run-2", register(true, declared), Map.of("rmse", 2.1)));
    assertNull(registry.productionMetrics("abalone-age").version(), "no alias yet");

    metadata.models().setAlias("abalone-age", RegistryActivitiesImpl.PRODUCTION, 2);
    var production = registry.productionMetrics("abalone-age");
    assertEquals(2, production.version());
    assertEquals(Map.of("rmse", 2.1), production.metrics());
    assertNull(registry.productionMetrics("other-model").version());
  }
}
