package dev.lifecycle.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.TestWorkflowExtension;
import io.temporal.worker.Worker;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PipelineWorkflowImplTest {

  @RegisterExtension static final TestWorkflowExtension testWorkflow = Runs.extension();

  @Test
  void registersAndPredictsWhenRmseMeetsTheThreshold(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(2.13);
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    RunStatus result = run.run(TestPlans.input(TestPlans.abalone(), Map.of("rmseThreshold", 2.5)));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals("abalone", result.pipeline());
    assertEquals(64, result.planHash().length());
    assertEquals(
        List.of(
            "ingest",
            "split",
            "features",
            "train",
            "evaluate",
            "rmse-ok",
            "register",
            "predict",
            "rmse-too-high"),
        result.steps().stream().map(StepStatus::name).toList());
    assertEquals(StepState.SUCCEEDED, result.step("register").state());
    assertEquals(StepState.SUCCEEDED, result.step("predict").state());
    assertEquals("rmse-ok", result.step("register").parent());
    assertNull(result.step("train").parent());
    StepStatus condition = result.step("rmse-ok");
    assertEquals("then: rmse 2.13 <= rmseThreshold 2.5", condition.message());
    assertEquals("then", condition.values().get("taken"));
    StepStatus skipped = result.step("rmse-too-high");
    assertEquals(StepState.SKIPPED, skipped.state());
    assertTrue(skipped.message().contains("condition 'rmse-ok' took 'then'"), skipped.message());
    assertEquals(
        Map.of("rmseThreshold", 2.5, "source", "classpath:datasets/abalone.csv", "epochs", 60),
        result.parameters());
    assertEquals(2.13, result.step("evaluate").metrics().get("rmse"));
    assertEquals("60 epochs on main", result.step("train").message());
    for (StepStatus step : result.steps()) {
      if (step.state() == StepState.SUCCEEDED) {
        assertNotNull(step.startedAt(), step.name());
        assertTrue(step.endedAt() >= step.startedAt(), step.name());
      }
    }
    assertEquals("SUCCEEDED", Runs.searchAttribute(run, Names.SA_STATE), "state search attribute");
    assertEquals("abalone", Runs.searchAttribute(run, Names.SA_PIPELINE));
  }

  @Test
  void passesEachStepTheArtifactsAndValuesItReads(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities();
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    run.run(TestPlans.input(TestPlans.abalone(), Map.of("epochs", 3)));

    String runId = WorkflowStub.fromTyped(run).getExecution().getRunId();
    FakeActivities.Call train = fake.call("train");
    assertEquals(
        FakeActivities.artifact(runId, "features", "train", ValueType.DATASET),
        train.task().artifacts().get("train"));
    assertEquals(
        FakeActivities.artifact(runId, "features", "validation", ValueType.DATASET),
        train.task().artifacts().get("validation"));
    assertEquals(
        Map.of("epochs", 3, "batchSize", 32, "learningRate", 0.003), train.task().values());
    assertEquals("abalone", train.task().run().pipeline());
    assertEquals(runId, train.task().run().runId());

    FakeActivities.Call register = fake.call("register");
    ArtifactRef model = FakeActivities.artifact(runId, "train", "model", ValueType.MODEL);
    assertEquals(model, register.task().artifacts().get("model"));
    assertEquals(
        FakeActivities.artifact(runId, "ingest", "dataset", ValueType.DATASET),
        register.task().artifacts().get("dataset"));
    assertEquals(2.13, register.task().values().get("metric.rmse"));
    assertEquals(2.13 * 2.13, (Double) register.task().values().get("metric.mse"), 1e-12);
    assertEquals(
        "classpath:datasets/abalone.csv", fake.call("ingest").task().values().get("source"));
  }

  @Test
  void startsEachStepOnlyAfterTheStepsItReads(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities();
    worker.registerActivitiesImplementations(fake);
    env.start();

    Runs.stub(client, worker).run(TestPlans.input(TestPlans.abalone()));

    List<String> chain = List.of("ingest", "split", "features", "train", "evaluate", "register");
    for (int i = 1; i < chain.size(); i++) {
      FakeActivities.Call before = fake.call(chain.get(i - 1));
      FakeActivities.Call after = fake.call(chain.get(i));
      assertTrue(
          after.startNanos() >= before.endNanos(),
          chain.get(i) + " started before " + chain.get(i - 1) + " ended");
    }
    assertTrue(fake.call("predict").startNanos() >= fake.call("evaluate").endNanos());
  }

  @Test
  void failsWithTheMetricValueWhenRmseMissesTheThreshold(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().rmse(Math.PI - 0.8);
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    ApplicationFailure failure =
        Runs.failure(run, TestPlans.input(TestPlans.abalone(), Map.of("rmseThreshold", 2.0)));

    assertEquals(FailureTypes.PIPELINE_FAILED, failure.getType());
    assertEquals(
        "Test RMSE 2.3416 is above the threshold 2: the model was not registered",
        failure.getOriginalMessage());
    RunStatus status = run.status();
    assertEquals(RunState.FAILED, status.state());
    assertEquals(failure.getOriginalMessage(), status.message());
    assertEquals("otherwise: rmse 2.3416 <= rmseThreshold 2", status.step("rmse-ok").message());
    assertEquals(StepState.FAILED, status.step("rmse-too-high").state());
    assertEquals(StepState.SKIPPED, status.step("register").state());
    assertEquals(StepState.SKIPPED, status.step("predict").state());
    assertTrue(fake.calls().stream().noneMatch(c -> c.step().equals("register")));
    assertNotNull(status.endedAt());
    assertEquals("FAILED", Runs.searchAttribute(run, Names.SA_STATE));
  }

  @Test
  void runsIndependentStepsInParallel(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    // Each ingest waits until the other has started: they finish only if they overlap.
    FakeActivities fake = new FakeActivities().meeting("ingest-a", "ingest-b");
    worker.registerActivitiesImplementations(fake);
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(TestPlans.twoSources()));

    assertEquals(RunState.SUCCEEDED, result.state());
    FakeActivities.Call a = fake.call("ingest-a");
    FakeActivities.Call b = fake.call("ingest-b");
    assertTrue(a.startNanos() < b.endNanos() && b.startNanos() < a.endNanos(), "overlap");
    FakeActivities.Call split = fake.call("split");
    assertTrue(split.startNanos() >= Math.max(a.endNanos(), b.endNanos()), "split waits for both");
  }

  @Test
  void failingStepFailsTheRunNamingItAndCancelsRunningSteps(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake =
        new FakeActivities().failing("ingest-a", FailureTypes.INVALID_DATA).blocking("ingest-b");
    worker.registerActivitiesImplementations(fake);
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    try {
      ApplicationFailure failure = Runs.failure(run, TestPlans.input(TestPlans.twoSources()));

      assertEquals(FailureTypes.INVALID_DATA, failure.getType());
      assertEquals(
          "Step 'ingest-a' failed: column 'Rings' is not numeric in two-sources",
          failure.getOriginalMessage());
      RunStatus status = run.status();
      assertEquals(RunState.FAILED, status.state());
      assertEquals(StepState.FAILED, status.step("ingest-a").state());
      assertEquals(StepState.FAILED, status.step("ingest-b").state());
      assertEquals("Cancelled because step 'ingest-a' failed", status.step("ingest-b").message());
      assertEquals(StepState.SKIPPED, status.step("split").state());
      assertEquals(1, Runs.events(env, run, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED));
      assertEquals(1, fake.attempts("ingest-a"), "non-retryable failures are not retried");
    } finally {
      fake.release();
    }
  }

  @Test
  void retriesTransientStepFailures(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities fake = new FakeActivities().flaky("split");
    worker.registerActivitiesImplementations(fake);
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(TestPlans.abalone()));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(2, fake.attempts("split"));
  }

  @Test
  void runsAStepOnTheTaskQueueItNames(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    FakeActivities main = new FakeActivities("main");
    FakeActivities gpu = new FakeActivities("gpu");
    worker.registerActivitiesImplementations(main);
    env.newWorker("gpu").registerActivitiesImplementations(gpu);
    env.start();

    RunStatus result = Runs.stub(client, worker).run(TestPlans.input(TestPlans.abalone("gpu")));

    assertEquals(RunState.SUCCEEDED, result.state());
    assertEquals(List.of("train"), gpu.calls().stream().map(FakeActivities.Call::step).toList());
    assertFalse(main.calls().stream().anyMatch(c -> c.step().equals("train")));
    assertEquals("60 epochs on gpu", result.step("train").message());
  }

  @Test
  void keepsHistoryAtSixEventsPerSequentialActivity(
      TestWorkflowEnvironment env, Worker worker, WorkflowClient client) {
    worker.registerActivitiesImplementations(new FakeActivities());
    env.start();

    PipelineWorkflow run = Runs.stub(client, worker);
    run.run(TestPlans.input(TestPlans.abalone()));

    long activities = Runs.events(env, run, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
    long all =
        env.getWorkflowExecutionHistory(WorkflowStub.fromTyped(run).getExecution())
            .getHistory()
            .getEventsCount();
    assertEquals(7, activities);
    // Started, first task (3), upserts of pipeline, RUNNING and SUCCEEDED, completed: 8 besides
    // the activities; register and predict run side by side and share workflow tasks.
    assertTrue(all <= 6 * activities + 8, "history has " + all + " events");
  }
}
