package dev.lifecycle.workflows.labeling;

/** The phases of a {@link LabelingWorkflow}, as its {@code progress} query reports them. */
public enum LabelingState {
  /** Creating the job's items and auto-labeling them. */
  PREPARING,
  /** Waiting for people's answers. */
  WAITING,
  /** Consolidating answers and writing the labeled dataset. */
  CONSOLIDATING,
  /** Finished: the labeled dataset is written. */
  DONE
}
