package dev.lifecycle.activities.store;

/** Where a recorded training run stands. A retried attempt moves a run back to {@link #RUNNING}. */
public enum ExperimentStatus {
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
