package dev.lifecycle.bench;

import dev.lifecycle.workflows.activities.DataActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;
import java.util.Map;

/**
 * What a Temporal engineer would write by hand for a chain of ingest steps: one activity stub, a
 * loop, the same step records and inputs the interpreter sends, and the same activity options as
 * the interpreter's defaults.
 */
public class HandWrittenWorkflowImpl implements HandWrittenWorkflow {
  private final DataActivities data =
      Workflow.newActivityStub(
          DataActivities.class,
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofHours(1))
              .setRetryOptions(
                  RetryOptions.newBuilder()
                      .setMaximumAttempts(3)
                      .setInitialInterval(Duration.ofSeconds(1))
                      .setBackoffCoefficient(2.0)
                      .setMaximumInterval(Duration.ofMinutes(1))
                      .build())
              .build());

  @Override
  public int run(int steps) {
    WorkflowInfo info = Workflow.getInfo();
    RunInfo run =
        new RunInfo(info.getWorkflowId(), info.getRunId(), "hand-written", "none", Map.of());
    int done = 0;
    for (int i = 0; i < steps; i++) {
      StepResult result =
          data.ingest(
              new StepTask(
                  run, SequencePlans.step(i), Map.of(), Map.of("source", SequencePlans.SOURCE)));
      if (result.artifacts().containsKey("dataset")) {
        done++;
      }
    }
    return done;
  }
}
