package dev.lifecycle.workflows.monitoring;

import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What a {@link MonitoringWorkflow} watches and how.
 *
 * @param deployment the monitored deployment's name
 * @param baseline a directory artifact with {@code statistics.json} and {@code constraints.json}
 * @param windowSource the activity type that returns capture windows; null means {@value
 *     MonitoringActivities#CAPTURE_WINDOW}
 * @param every the schedule: one check per period, each over the window since the last one
 * @param webhooks URLs that get every alert as an HTTP POST with a JSON body (alerts always go to
 *     the worker log as well)
 * @param onViolation what to do when a check finds violations; null means alert only
 * @param checksPerRun checks after which the run continues as new; 0 means {@value
 *     MonitoringWorkflowImpl#DEFAULT_CHECKS_PER_RUN}
 * @param carried the state a previous run handed over; null on the first run
 */
public record MonitoringInput(
    String deployment,
    ArtifactRef baseline,
    String windowSource,
    Duration every,
    List<String> webhooks,
    OnViolation onViolation,
    int checksPerRun,
    MonitoringState carried) {

  public MonitoringInput {
    webhooks = webhooks == null ? List.of() : List.copyOf(webhooks);
  }

  /** The same input carrying {@code state} into the next run. */
  MonitoringInput carrying(MonitoringState state) {
    return new MonitoringInput(
        deployment, baseline, windowSource, every, webhooks, onViolation, checksPerRun, state);
  }

  /**
   * The action on a check with violations.
   *
   * @param retrain false: alert only; true: also start a retraining run
   * @param workflowType the retraining run's workflow type (e.g. {@code PipelineWorkflow})
   * @param taskQueue its task queue; null means the monitor's
   * @param input its input, e.g. {@code {"pipeline": "abalone"}}
   * @param cooldown the least time between two retraining runs
   * @param limit the most retraining runs this monitor ever starts
   * @param capturedDataParameter when set, the retraining run gets the data captured since the last
   *     retraining (or the monitor's start), with the ground truth posted so far, as a Parquet
   *     dataset whose {@code file:} URI is this pipeline parameter of {@code input} (under {@code
   *     input.parameters}); when nothing was captured, no retraining run starts
   * @param driftedDataOnly with {@code capturedDataParameter}: hand over only the data captured
   *     since the checks started finding violations (the windows that drifted, the new normal),
   *     rather than everything since the last retraining
   */
  public record OnViolation(
      boolean retrain,
      String workflowType,
      String taskQueue,
      Map<String, Object> input,
      Duration cooldown,
      int limit,
      String capturedDataParameter,
      boolean driftedDataOnly) {

    /** Alert only. */
    public static OnViolation alertOnly() {
      return new OnViolation(false, null, null, Map.of(), Duration.ZERO, 0, null, false);
    }

    /** Alert, and start {@code workflowType} with {@code input}, within the cooldown and limit. */
    public static OnViolation retrain(
        String workflowType, Map<String, Object> input, Duration cooldown, int limit) {
      return new OnViolation(true, workflowType, null, input, cooldown, limit, null, false);
    }

    /** The same action, handing the captured data to the run as pipeline parameter {@code name}. */
    public OnViolation withCapturedData(String name) {
      return new OnViolation(retrain, workflowType, taskQueue, input, cooldown, limit, name, false);
    }

    /**
     * The same action, handing the run only the data captured since the checks started finding
     * violations, as pipeline parameter {@code name}.
     */
    public OnViolation withDriftedData(String name) {
      return new OnViolation(retrain, workflowType, taskQueue, input, cooldown, limit, name, true);
    }
  }
}
