package dev.lifecycle.workflows.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.workflows.Replays;
import dev.lifecycle.workflows.activities.StepResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Replays a committed history of {@link LabelingWorkflowImpl} (a reminder, an {@code
 * answers-changed} signal, a {@code close} update) against the current code. Regenerate with
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=LabelingWorkflowReplayTest -Dlifecycle.recordHistories=true
 * </pre>
 */
class LabelingWorkflowReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  @Test
  void replaysRecordedHistory() throws Exception {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      Replays.assertReplays(env, LabelingTasks.QUEUE, "histories/labeling.json");
    }
  }

  @Test
  void rejectsAnImplementationThatIssuesOtherCommands() {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      Replays.assertRejects(env, LabelingTasks.QUEUE, "histories/labeling.json", SleepsFirst.class);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "lifecycle.recordHistories", matches = "true")
  void recordsHistory() throws Exception {
    try (TestWorkflowEnvironment env = LabelingTasks.environment()) {
      FakeLabelingActivities store = new FakeLabelingActivities(10);
      LabelingTasks.register(env, store);
      env.start();
      LabelingWorkflow job =
          env.getWorkflowClient()
              .newWorkflowStub(
                  LabelingWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(LabelingTasks.QUEUE)
                      .setWorkflowId("run-wf/label/label")
                      .build());
      WorkflowClient.start(
          job::run,
          LabelingTasks.input(
              LabelingTasks.step(
                  Duration.ofDays(7),
                  Duration.ofHours(3),
                  Escalation.NOTIFY,
                  Completion.ALL,
                  null)));
      env.sleep(Duration.ofHours(2));
      store.answer(4);
      job.answersChanged();
      env.sleep(Duration.ofHours(2));
      assertEquals(1, job.progress().reminders());
      job.close("enough for now");
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      assertEquals(4.0, result.metrics().get("labeled"));
      Files.createDirectories(HISTORIES);
      String json =
          env.getWorkflowExecutionHistory(WorkflowStub.fromTyped(job).getExecution()).toJson(true);
      Files.writeString(HISTORIES.resolve("labeling.json"), json + "\n");
    }
  }

  /** Sleeps before preparing: the commands differ from the recorded run's. */
  public static class SleepsFirst extends LabelingWorkflowImpl {
    @Override
    public StepResult run(LabelingInput input) {
      Workflow.sleep(Duration.ofMinutes(1));
      return super.run(input);
    }
  }
}
