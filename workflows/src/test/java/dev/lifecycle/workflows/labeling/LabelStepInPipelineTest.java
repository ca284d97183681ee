package dev.lifecycle.workflows.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The label step as the pipeline interpreter runs it: a child workflow whose failure it reports.
 */
class LabelStepInPipelineTest {

  /** Ingest that stores nothing: only its reference reaches the label step. */
  static final class IngestOnly implements DataActivities {
    @Override
    public StepResult ingest(StepTask task) {
      return StepResult.builder()
          .artifact(
              "dataset",
              new ArtifactRef("file:///data.parquet", "ab12", 10, ValueType.DATASET, "parquet"))
          .build();
    }

    @Override
    public StepResult split(StepTask task) {
      throw new UnsupportedOperationException("split");
    }

    @Override
    public StepResult features(StepTask task) {
      throw new UnsupportedOperationException("features");
    }
  }

  @Test
  void aLabelStepPastItsDeadlineFailsTheRunWithTheChildsFailureType() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      LifecycleWorkers.register(
          env.newWorker(LabelingTasks.QUEUE), new FakeLabelingActivities(10), new IngestOnly());
      env.start();
      PipelinePlan plan =
          new PipelinePlan(
              PipelinePlan.SCHEMA_VERSION,
              "labels",
              "",
              List.of(),
              List.of(
                  new Ingest("ingest", new Literal("data.csv"), "csv", null, null),
                  LabelingTasks.step(
                      Duration.ofDays(1), null, Escalation.FAIL, Completion.ALL, null)));
      ObjectNode input = PlanJson.strict().createObjectNode();
      input.set("plan", PlanJson.strict().valueToTree(plan));
      PipelineWorkflow run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  PipelineWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(LabelingTasks.QUEUE)
                      .setWorkflowId("labels-deadline")
                      .build());

      WorkflowFailedException e = assertThrows(WorkflowFailedException.class, () -> run.run(input));

      ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, e.getCause());
      assertEquals(LabelingWorkflowImpl.DEADLINE_MISSED, cause.getType());
      assertTrue(
          cause.getOriginalMessage().startsWith("Step 'label' failed"), cause.getOriginalMessage());
      assertEquals(RunState.FAILED, run.status().state());
      assertEquals(StepState.FAILED, run.status().step("label").state());
    }
  }

  @Test
  void aRunWaitingInALabelStepSaysSoInItsStatus() throws Exception {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      FakeLabelingActivities labeling = new FakeLabelingActivities(10);
      LifecycleWorkers.register(env.newWorker(LabelingTasks.QUEUE), labeling, new IngestOnly());
      env.start();
      PipelinePlan plan =
          new PipelinePlan(
              PipelinePlan.SCHEMA_VERSION,
              "labels",
              "",
              List.of(),
              List.of(
                  new Ingest("ingest", new Literal("data.csv"), "csv", null, null),
                  LabelingTasks.step(null, null, Escalation.NOTIFY, Completion.ALL, null)));
      ObjectNode input = PlanJson.strict().createObjectNode();
      input.set("plan", PlanJson.strict().valueToTree(plan));
      PipelineWorkflow run =
          env.getWorkflowClient()
              .newWorkflowStub(
                  PipelineWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(LabelingTasks.QUEUE)
                      .setWorkflowId("labels-waiting")
                      .build());
      WorkflowClient.start(run::run, input);
      LabelingWorkflow job =
          env.getWorkflowClient()
              .newWorkflowStub(LabelingWorkflow.class, "labels-waiting/label/label");
      long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (labeling.progressReads.get() == 0 && System.nanoTime() < until) {
        Thread.sleep(50);
      }
      assertEquals(LabelingState.WAITING, job.progress().state());

      RunStatus waiting = run.status();
      assertEquals(RunState.WAITING_LABELS, waiting.state());
      assertEquals(StepState.WAITING_LABELS, waiting.step("label").state());
      assertEquals(StepState.SUCCEEDED, waiting.step("ingest").state());

      labeling.answer(10);
      job.answersChanged();
      RunStatus done = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
      assertEquals(RunState.SUCCEEDED, done.state());
      assertEquals(StepState.SUCCEEDED, done.step("label").state());
      assertEquals(RunState.SUCCEEDED, run.status().state());
    }
  }
}
