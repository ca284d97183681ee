package dev.lifecycle.workflows;

/**
 * The state of a pipeline run, also upserted as the {@code LifecycleState} search attribute ({@link
 * #WAITING_LABELS} only in the {@code status} query: the attribute says {@code RUNNING} then).
 */
public enum RunState {
  RUNNING,
  WAITING_APPROVAL,
  /** Running, with a label step waiting for people's answers (and nothing waiting for approval). */
  WAITING_LABELS,
  SUCCEEDED,
  FAILED,
  CANCELLED
}
