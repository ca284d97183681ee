package dev.lifecycle.workflows;

/** The state of one step in a run. */
public enum StepState {
  PENDING,
  RUNNING,
  WAITING,
  /** A label step whose labeling job runs: it waits for people's answers. */
  WAITING_LABELS,
  SUCCEEDED,
  FAILED,
  SKIPPED
}
