package dev.lifecycle.workflows.labeling;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelSchema;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Label steps, tasks and environments for the labeling workflow's tests. */
final class LabelingTasks {
  static final String QUEUE = "labeling-test";

  private LabelingTasks() {}

  static Label step(
      Duration deadline,
      Duration reminder,
      Escalation escalation,
      Completion completion,
      Integer quota) {
    return new Label(
        "label",
        new OutputRef("ingest", "dataset"),
        new LabelSchema(List.of("cat", "dog"), false),
        "Pick one",
        1,
        Consolidation.MAJORITY,
        null,
        null,
        null,
        null,
        null,
        deadline,
        reminder,
        escalation,
        completion,
        quota,
        List.of("ana"),
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  static LabelingInput input(Label step) {
    StepTask task =
        new StepTask(
            new RunInfo("run-wf", "run-1", "p", "hash", Map.of()),
            step,
            Map.of(
                "dataset",
                new ArtifactRef("file:///data.parquet", "ab12", 10, ValueType.DATASET, "parquet")),
            Map.of());
    return new LabelingInput(task, null);
  }

  static TestWorkflowEnvironment environment() {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(LifecycleDataConverter.create())
                    .build())
            .build());
  }

  static void register(TestWorkflowEnvironment env, Object activities) {
    LifecycleWorkers.register(env.newWorker(QUEUE), activities);
  }
}
