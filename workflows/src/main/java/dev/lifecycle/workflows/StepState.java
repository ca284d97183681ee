package dev.lifecycle.workflows;

/** The state of one step in a run. */
public enum StepState {
  PENDING,
  RUNNING,
  WAITING,
  SUCCEEDED,
  FAILED,
  SKIPPED
}
