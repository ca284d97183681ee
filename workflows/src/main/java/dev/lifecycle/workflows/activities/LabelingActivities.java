package dev.lifecycle.workflows.activities;

import dev.lifecycle.workflows.labeling.LabelingJob;
import dev.lifecycle.workflows.labeling.LabelingProgress;
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
