package dev.lifecycle.workflows.labeling;

import dev.lifecycle.workflows.activities.StepResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One labeling job, a child of the pipeline run with id {@code <parent id>/label/<step>}. It
 * prepares the job, waits (for weeks if need be) until the step's completion rule holds, reminding
 * and escalating on timers, and returns the labeled dataset. People's answers live in the labeling
 * store, never in this workflow's history; it only hears that they changed.
 *
 * <pre>
 * temporal workflow query  --workflow-id 'run-1/label/label' --type progress
 * temporal workflow signal --workflow-id 'run-1/label/label' --name answers-changed
 * temporal workflow update execute --workflow-id 'run-1/label/label' --name close \
 *     --input '"enough labels for the first model"'
 * </pre>
 */
@WorkflowInterface
public interface LabelingWorkflow {

  /** The workflow type name. */
  String TYPE = "LabelingWorkflow";

  /** Runs the job to its end and returns the label step's result. */
  @WorkflowMethod(name = TYPE)
  StepResult run(LabelingInput input);

  /** Answers were stored (a batch is done, a quota may be met): read the progress now. */
  @SignalMethod(name = "answers-changed")
  void answersChanged();

  /** Where the job stands. */
  @QueryMethod(name = "progress")
  LabelingStatus progress();

  /** Closes the job early with the labels it has; {@code reason} is recorded. */
  @UpdateMethod(name = "close")
  LabelingStatus close(String reason);

  /** Rejects closing a job that is already closed or finished. */
  @UpdateValidatorMethod(updateName = "close")
  void validateClose(String reason);
}
