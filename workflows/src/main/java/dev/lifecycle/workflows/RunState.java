package dev.lifecycle.workflows;

/** The state of a pipeline run, also upserted as the {@code LifecycleState} search attribute. */
public enum RunState {
  RUNNING,
  WAITING_APPROVAL,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
