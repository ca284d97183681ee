package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.CaptureActivities;
import dev.lifecycle.workflows.activities.CompiledRun;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.DeploymentActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.PlanActivities;
import dev.lifecycle.workflows.activities.ProductionModel;
import dev.lifecycle.workflows.activities.RegistryActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import dev.lifecycle.workflows.activities.VersionApproval;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code monitor} step of a pipeline run: it computes the baseline from the training data and
 * starts {@code monitor/<endpoint>}, which outlives the run, retrains by running the same pipeline
 * again, and keeps running after that second run, with the second run's baseline.
 */
class MonitorStepTest {
  @TempDir Path dir;

  /** Ingest, train, register, deploy to {@code abalone-age}, and watch it daily. */
  static Pipeline watched() {
    Pipeline p = Pipeline.named("watched");
    var raw = p.ingest("ingest").csv("classpath:abalone.csv").dataset();
    var train = p.train("train", raw).label("Rings").epochs(1);
    var register = p.register("register", "abalone-age", train.model());
    var serve = p.deploy("serve", register).endpoint("abalone-age");
    p.monitor("watch", serve)
        .baseline(raw)
        .every(Duration.ofDays(1))
        .features("Length", "Sex")
        .drift("psi", 0.25)
        .categoricalDrift("chi_square", 0.001)
        .retrain(Duration.ofDays(30), 1);
    return p;
  }

  /** The data and deployment steps: the ingest returns the prepared training data. */
  static final class Steps
      implements DataActivities,
          TrainingActivities,
          RegistryActivities,
          DeploymentActivities,
          PlanActivities {
    private final ArtifactRef training;
    private final AtomicInteger versions = new AtomicInteger();

    Steps(ArtifactRef training) {
      this.training = training;
    }

    @Override
    public StepResult ingest(StepTask task) {
      return StepResult.builder().artifact("dataset", training).build();
    }

    @Override
    public StepResult split(StepTask task) {
      throw new UnsupportedOperationException("not in this pipeline");
    }

    @Override
    public StepResult features(StepTask task) {
      throw new UnsupportedOperationException("not in this pipeline");
    }

    @Override
    public StepResult train(StepTask task) {
      return StepResult.builder()
          .artifact("model", new ArtifactRef("file:///m", "m", 1, ValueType.MODEL, "djl"))
          .build();
    }

    @Override
    public StepResult register(StepTask task) {
      return StepResult.builder()
          .artifact("model", task.artifact("model"))
          .value("version", versions.incrementAndGet())
          .build();
    }

    @Override
    public ProductionModel productionMetrics(String modelName) {
      return new ProductionModel(modelName, null, Map.of());
    }

    @Override
    public void setApproval(VersionApproval approval) {}

    @Override
    public StepResult batchTransform(StepTask task) {
      throw new UnsupportedOperationException("not in this pipeline");
    }

    @Override
    public StepResult deploy(StepTask task) {
      return StepResult.builder().value("endpoint", "abalone-age").value("url", "/x").build();
    }

    @Override
    public CompiledRun compile(String pipeline, Map<String, Object> parameters) {
      PipelinePlan plan = watched().compile();
      return new CompiledRun(
          plan, PipelineCompiler.bindParameters(plan, parameters), PlanJson.hash(plan));
    }
  }

  @Test
  void startsAMonitorThatOutlivesTheRunAndRetrainsWithTheSamePipeline() throws Exception {
    LocalArtifactStore store = new LocalArtifactStore(dir.resolve("artifacts"));
    ArtifactRef training =
        store.put(
            MonitoringTestData.writeParquet(
                dir.resolve("train.parquet"), MonitoringTestData.rows(2000, 11, 0.0)),
            ValueType.DATASET,
            "parquet");
    ArtifactRef shifted =
        store.put(
            MonitoringTestData.writeParquet(
                dir.resolve("shifted.parquet"), MonitoringTestData.rows(500, 22, 0.3)),
            ValueType.DATASET,
            "parquet");
    CaptureActivities windows =
        request ->
            new CaptureWindow(
                request.deployment(), request.startMillis(), request.endMillis(), shifted);
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .registerSearchAttribute(
                    "LifecyclePipeline", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .registerSearchAttribute(
                    "LifecycleState", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)
                .build())) {
      Worker worker = env.newWorker("lifecycle");
      LifecycleWorkers.register(
          worker, new MonitoringActivitiesImpl(store), new Steps(training), windows);
      env.start();
      WorkflowClient client = env.getWorkflowClient();

      PipelineWorkflow run =
          client.newWorkflowStub(
              PipelineWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue("lifecycle")
                  .setWorkflowId("watched-1")
                  .build());
      RunStatus result = run.run(PlanJson.strict().readTree("{\"pipeline\": \"watched\"}"));

      assertEquals(RunState.SUCCEEDED, result.state(), result.message());
      var watch = result.step("watch");
      assertEquals("monitor/abalone-age", watch.values().get("monitor"));
      assertTrue(watch.message().startsWith("monitoring abalone-age every PT24H"), watch.message());
      Path baseline = store.resolve(watch.artifacts().get("baseline"));
      String statistics = Files.readString(baseline.resolve(Baselines.STATISTICS_FILE));
      assertTrue(statistics.contains("\"Length\"") && statistics.contains("\"Sex\""), statistics);
      assertTrue(!statistics.contains("\"Rings\""), "only the listed features");
      assertTrue(
          Files.readString(baseline.resolve(Baselines.CONSTRAINTS_FILE)).contains("psi"),
          "the step's drift check");

      MonitoringWorkflow monitor =
          client.newWorkflowStub(MonitoringWorkflow.class, "monitor/abalone-age");
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          WorkflowStub.fromTyped(monitor).describe().getStatus(),
          "the monitor outlives the run");

      // A day on, the shifted window drifts: the monitor retrains by running 'watched' again,
      // whose own monitor step finds the monitor running and leaves it.
      env.sleep(Duration.ofDays(1).plusHours(1));
      MonitoringState state = monitor.status();
      assertTrue(state.checksWithViolations() >= 1, state.toString());
      assertEquals(1, state.retrainsStarted(), "the limit holds");
      RunStatus retrained =
          client.newUntypedWorkflowStub("monitor/abalone-age/retrain-1").getResult(RunStatus.class);
      assertEquals(RunState.SUCCEEDED, retrained.state(), retrained.message());
      assertEquals("watched", retrained.pipeline());
      assertTrue(
          retrained.step("watch").message().contains("already watches abalone-age; left running"),
          retrained.step("watch").message());
      // The retraining run deployed a new version: the monitor now checks against its baseline.
      MonitoringState after = monitor.status();
      assertEquals(1, after.baselineUpdates(), after.toString());
      assertEquals(retrained.step("watch").artifacts().get("baseline"), after.baseline());
      assertTrue(
          after.baselineReason().contains("monitor/abalone-age/retrain-1"), after.toString());
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          WorkflowStub.fromTyped(monitor).describe().getStatus());
      assertEquals(1, monitor.status().retrainsStarted());
    }
  }

  @Test
  void theMonitorStepsRulesNameTheStep() {
    Pipeline p = Pipeline.named("bad");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("Rings");
    var serve = p.deploy("serve", p.register("register", "m", train.model()));
    p.monitor("watch", serve).baseline(raw).every(Duration.ofSeconds(5)).drift("chi_square", 0.1);
    var problems = PipelineCompiler.check(p.build());
    assertEquals(2, problems.size(), problems::toString);
    assertTrue(problems.stream().allMatch(x -> "watch".equals(x.step())), problems::toString);
    assertTrue(
        List.of(problems.get(0).message(), problems.get(1).message()).toString().contains("PT5S"));
  }
}
