package dev.lifecycle.workflows.activities;

import dev.lifecycle.workflows.labeling.LabelingJob;
import dev.lifecycle.workflows.labeling.LabelingProgress;
import dev.lifecycle.workflows.labeling.LabelingRescore;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;

/**
 * The labeling store as the {@link dev.lifecycle.workflows.labeling.LabelingWorkflow} sees it:
 * counts and milestones, never the answers themselves.
 */
@ActivityInterface
public interface LabelingActivities {

  /**
   * Creates the job of a label step from its dataset (idempotent per run and step): one item per
   * row, gold items from the gold column, and, with a model, auto-labels and an uncertainty order.
   */
  @ActivityMethod(name = "PrepareLabelingJob")
  LabelingJob prepare(StepTask task);

  /** The job's counts. */
  @ActivityMethod(name = "LabelingProgress")
  LabelingProgress progress(long jobId);

  /**
   * Gives the items whose answers agree less than the step's agreement threshold more annotators
   * (up to the step's maximum), then returns the job's counts. Idempotent: an item's answer count
   * only ever grows, and items already raised are left as they are.
   */
  @ActivityMethod(name = "RequestMoreAnnotators")
  LabelingProgress moreAnnotators(StepTask task, long jobId);

  /**
   * The training set of the Ground Truth loop: the rows people (and gold items) have labeled so
   * far, with their consolidated {@code label}, as artifact {@code dataset} and metric {@code
   * rows}; no artifact when there are none. Every fourth labeled item (by key) is held out to
   * measure the retrained model.
   */
  @ActivityMethod(name = "PrepareRetraining")
  StepResult retrainingSet(StepTask task, long jobId);

  /**
   * Re-scores the job's items for people that nobody has answered or taken yet with {@code model}:
   * those at or above the step's confidence threshold are auto-labeled, the rest re-ordered most
   * uncertain first. Auto-labeling happens only when the model's accuracy on the held-out human
   * labels reaches the threshold. Items someone answers meanwhile are left as they are.
   */
  @ActivityMethod(name = "RescoreLabelingJob")
  LabelingRescore rescore(StepTask task, long jobId, ArtifactRef model);

  /**
   * Reminds the annotators who still have items to answer; with {@code escalation}, reports them as
   * late. Returns whom it reminded.
   */
  @ActivityMethod(name = "RemindLabelers")
  List<String> remind(long jobId, boolean escalation);

  /**
   * Closes the job, consolidates every item's answers into its label and writes the labeled dataset
   * and the manifest (idempotent: a closed job is consolidated again identically).
   */
  @ActivityMethod(name = "ConsolidateLabels")
  StepResult consolidate(StepTask task, long jobId);
}
