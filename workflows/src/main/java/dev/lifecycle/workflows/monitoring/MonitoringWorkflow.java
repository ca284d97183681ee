package dev.lifecycle.workflows.monitoring;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Watches one deployment for as long as it serves: a check of each capture window against the
 * baseline on a schedule, alerts on violations, and optionally a retraining run.
 *
 * <pre>
 * temporal workflow start --task-queue lifecycle --type MonitoringWorkflow --workflow-id monitor/abalone --input-file monitor.json
 * temporal workflow query --workflow-id monitor/abalone --type status
 * temporal workflow signal --workflow-id monitor/abalone --name pause   (likewise resume, run-now)
 * temporal workflow update execute --workflow-id monitor/abalone --name update-baseline --input-file update.json
 * </pre>
 */
@WorkflowInterface
public interface MonitoringWorkflow {

  /** Monitors until cancelled or terminated; it never returns on its own. */
  @WorkflowMethod(name = "MonitoringWorkflow")
  void monitor(MonitoringInput input);

  /** Counters, the last report's summary and the schedule. */
  @QueryMethod(name = "status")
  MonitoringState status();

  /** Stops scheduled checks until {@link #resume}. A pending {@code run-now} waits too. */
  @SignalMethod(name = "pause")
  void pause();

  /** Resumes checks; a check that fell due while paused runs at once. */
  @SignalMethod(name = "resume")
  void resume();

  /** Checks the window since the last check now, without moving the schedule. */
  @SignalMethod(name = "run-now")
  void runNow();

  /**
   * Replaces the baseline of every later check (see {@link BaselineUpdate}); the next window starts
   * now. Updating to the baseline already in use changes nothing (a retried call is harmless).
   *
   * @return the state after the update
   */
  @UpdateMethod(name = "update-baseline")
  MonitoringState updateBaseline(BaselineUpdate update);

  /** Rejects an update without a baseline before it reaches the history. */
  @UpdateValidatorMethod(updateName = "update-baseline")
  void validateBaselineUpdate(BaselineUpdate update);
}
