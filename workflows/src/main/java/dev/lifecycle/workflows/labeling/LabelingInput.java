package dev.lifecycle.workflows.labeling;

import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepTask;
import java.util.Objects;

/**
 * The input of a {@link LabelingWorkflow}: the label step with its resolved inputs, and what an
 * earlier run of the same job carried over when it continued as new ({@code null} on the first).
 */
public record LabelingInput(StepTask task, Carried carried) {
  public LabelingInput {
    Objects.requireNonNull(task, "task");
  }

  /**
   * The job's state that survives continue-as-new.
   *
   * @param jobId the prepared job
   * @param startedAt when the job was prepared (epoch milliseconds); the deadline counts from it
   * @param nextReminderAt when the next reminder is due, or 0 without reminders
   * @param reminders reminders sent so far
   * @param escalations escalations so far
   * @param answersChanged a signal arrived that the new run has not yet acted on
   * @param run how many runs came before
   * @param retrains fine-tunings of the Ground Truth loop so far
   * @param retrainedAt the items labeled by people when the model was last retrained
   * @param model the last retrained model, or {@code null} while it is the step's own
   */
  public record Carried(
      long jobId,
      long startedAt,
      long nextReminderAt,
      int reminders,
      int escalations,
      boolean answersChanged,
      int run,
      int retrains,
      long retrainedAt,
      ArtifactRef model) {}
}
