package dev.lifecycle.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.workflows.activities.VersionApproval;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Runs one pipeline. Started with the Temporal CLI as workflow type {@code PipelineWorkflow} on
 * task queue {@code lifecycle}, with either
 *
 * <ul>
 *   <li>{@code {"pipeline": "abalone", "parameters": {"rmseThreshold": 2.5}}} (a registered
 *       pipeline, compiled in an activity so the plan lands in history), or
 *   <li>a whole compiled plan ({@code ./lifecycle plan NAME > plan.json}, then {@code --input-file
 *       plan.json}), or {@code {"plan": {...}, "parameters": {...}}}.
 * </ul>
 *
 * The input is taken as raw JSON and validated by the workflow itself: a bad input (unknown field,
 * wrong type, unknown pipeline, invalid parameter) fails the run at once with a message naming it,
 * instead of leaving a workflow task retrying for ever.
 */
@WorkflowInterface
public interface PipelineWorkflow {

  /** The workflow type name the CLI uses. */
  String TYPE = "PipelineWorkflow";

  /** The signal a training activity sends its run after an epoch; see {@link StepProgress}. */
  String TRAINING_PROGRESS_SIGNAL = "training-progress";

  @WorkflowMethod(name = TYPE)
  RunStatus run(JsonNode input);

  /** Every step's state, timing, outputs and metrics. */
  @QueryMethod(name = "status")
  RunStatus status();

  /** Approves or rejects a waiting approval gate; rejected when no such gate waits. */
  @UpdateMethod(name = "approve")
  ApprovalDecision approve(ApprovalDecision decision);

  @UpdateValidatorMethod(updateName = "approve")
  void validateApprove(ApprovalDecision decision);

  /** The same as the {@code approve} update, for {@code temporal workflow signal}. */
  @SignalMethod(name = "approve")
  void approveSignal(ApprovalDecision decision);

  /**
   * A long step's progress, sent by its activity (training: at most once per epoch, so a run's
   * history grows by a few events per epoch). The status query shows the latest per step.
   */
  @SignalMethod(name = TRAINING_PROGRESS_SIGNAL)
  void trainingProgress(StepProgress progress);

  /**
   * A registered version was approved or rejected in the registry (REST API): answers the gate
   * waiting on that version; kept for a gate of this run about that model that does not wait yet;
   * otherwise ignored (logged).
   */
  @SignalMethod(name = "registry-approval")
  void registryApproval(VersionApproval approval);
}
