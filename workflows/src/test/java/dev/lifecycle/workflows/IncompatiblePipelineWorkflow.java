package dev.lifecycle.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A change the replay test must catch: registered under the same workflow type, it trains before
 * anything else, so its first command differs from every recorded history's.
 */
public class IncompatiblePipelineWorkflow implements PipelineWorkflow {
  @Override
  public RunStatus run(JsonNode input) {
    TrainingActivities training =
        Workflow.newActivityStub(
            TrainingActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    Train train =
        new Train("train", null, null, "y", null, List.of(), null, null, null, 1, null, null);
    training.train(
        new StepTask(
            new RunInfo("w", "r", "p", "h", Map.of()), train, Map.of(), Map.of("epochs", 1)));
    return new RunStatus("p", null, RunState.SUCCEEDED, null, null, null, 0, null);
  }

  @Override
  public RunStatus status() {
    return null;
  }

  @Override
  public ApprovalDecision approve(ApprovalDecision decision) {
    return decision;
  }

  @Override
  public void validateApprove(ApprovalDecision decision) {}

  @Override
  public void approveSignal(ApprovalDecision decision) {}

  @Override
  public void trainingProgress(StepProgress progress) {}

  @Override
  public void registryApproval(dev.lifecycle.workflows.activities.VersionApproval approval) {}
}
