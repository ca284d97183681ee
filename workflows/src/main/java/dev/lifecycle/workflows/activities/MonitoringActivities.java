package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.List;
import java.util.Objects;

/**
 * What a {@code MonitoringWorkflow} asks of workers: check one capture window against a baseline,
 * post an alert to a webhook, and start a retraining run. The capture windows themselves come from
 * the activity named {@link #CAPTURE_WINDOW} (or another name the monitor's input gives), taking a
 * {@link WindowRequest} and returning a {@link CaptureWindow}, so that a data-capture store can
 * serve them from whichever worker holds it.
 */
@ActivityInterface
public interface MonitoringActivities {

  /** The default activity type that supplies capture windows. */
  String CAPTURE_WINDOW = "CaptureWindow";

  /**
   * Checks a window against the baseline and stores the full report (violations, per-feature
   * statistics) as a JSON artifact. A window that cannot be checked (none captured, empty, no
   * baseline feature in it) gives a summary of status {@code invalid_input}, not a failure.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable when the baseline is missing or
   *     invalid
   */
  @ActivityMethod(name = "CheckDrift")
  CheckSummary check(CheckRequest request);

  /**
   * POSTs {@code alert} as JSON to {@code url}. Fails (retryably, for the caller's retry policy to
   * back off) when the receiver is unreachable or answers 5xx, 408 or 429; non-retryably on any
   * other non-2xx answer.
   */
  @ActivityMethod(name = "PostWebhook")
  void postWebhook(String url, Alert alert);

  /**
   * Starts a retraining run: a workflow of {@code request.workflowType()} with id {@code
   * request.workflowId()}, not a child of the monitor, so it outlives the monitor's runs; its memo
   * names the monitor. Starting it again with the same id (a retried attempt) returns the run
   * already started.
   *
   * @return the run id of the retraining run
   */
  @ActivityMethod(name = "StartRetraining")
  String startRetraining(RetrainRequest request);

  /**
   * The {@code monitor} step of a pipeline: computes the baseline of the step's {@code baseline}
   * dataset (a directory artifact with {@code statistics.json} and {@code constraints.json}) and
   * starts the {@code MonitoringWorkflow} {@code monitor/<endpoint>} on this activity's task queue,
   * not as a child: it outlives the run. Its retraining input is the run's own pipeline and
   * parameters (with the step's {@code retrainParameters} in place of theirs). When a monitor of
   * that id is already running, its schedule and counters stay and its baseline becomes this run's
   * (update {@code update-baseline}: this run deployed a new version; the summary says so). Outputs
   * {@code monitor} (the workflow id) and {@code baseline}. Idempotent: a retried attempt finds the
   * monitor it started.
   */
  @ActivityMethod(name = "StartMonitor")
  StepResult startMonitor(StepTask task);

  /**
   * A retraining run to start.
   *
   * @param monitor the monitor's workflow id, recorded in the run's memo
   * @param deployment the monitored deployment, recorded in the run's memo
   * @param workflowId the retraining run's workflow id
   * @param workflowType its workflow type, e.g. {@code PipelineWorkflow}
   * @param taskQueue its task queue
   * @param input its input
   */
  record RetrainRequest(
      String monitor,
      String deployment,
      String workflowId,
      String workflowType,
      String taskQueue,
      java.util.Map<String, Object> input) {
    public RetrainRequest {
      Objects.requireNonNull(workflowId, "workflowId");
      Objects.requireNonNull(workflowType, "workflowType");
      Objects.requireNonNull(taskQueue, "taskQueue");
      input = input == null ? java.util.Map.of() : java.util.Map.copyOf(input);
    }
  }

  /**
   * The window a monitor asks its capture source for: the deployment's inferences captured in
   * {@code [startMillis, endMillis)}.
   */
  record WindowRequest(String deployment, long startMillis, long endMillis) {
    public WindowRequest {
      Objects.requireNonNull(deployment, "deployment");
    }
  }

  /**
   * A capture window.
   *
   * @param deployment the monitored deployment
   * @param startMillis start of the window, inclusive (epoch milliseconds)
   * @param endMillis end of the window, exclusive
   * @param data the captured rows as a Parquet dataset; null when nothing was captured
   */
  record CaptureWindow(String deployment, long startMillis, long endMillis, ArtifactRef data) {}

  /**
   * One check to run.
   *
   * @param deployment the monitored deployment
   * @param baseline a directory artifact holding {@code statistics.json} and {@code
   *     constraints.json}
   * @param window the window to check
   */
  record CheckRequest(String deployment, ArtifactRef baseline, CaptureWindow window) {
    public CheckRequest {
      Objects.requireNonNull(deployment, "deployment");
      Objects.requireNonNull(baseline, "baseline");
      Objects.requireNonNull(window, "window");
    }
  }

  /**
   * The small part of a check's report that travels through the workflow.
   *
   * @param status {@code ok}, {@code violations} or {@code invalid_input}
   * @param windowRows rows checked
   * @param violations how many violations the report lists
   * @param driftedFeatures the features with at least one violation, in baseline order
   * @param messages up to a few violation descriptions or problems, for alerts
   * @param report the full report
   */
  record CheckSummary(
      String status,
      long windowRows,
      int violations,
      List<String> driftedFeatures,
      List<String> messages,
      ArtifactRef report) {
    /** Status of a window whose every check passed. */
    public static final String OK = "ok";

    /** Status of a window with at least one violation. */
    public static final String VIOLATIONS = "violations";

    /** Status of a window that could not be checked. */
    public static final String INVALID_INPUT = "invalid_input";

    public CheckSummary {
      driftedFeatures = List.copyOf(driftedFeatures);
      messages = List.copyOf(messages);
    }
  }

  /**
   * The body of an alert.
   *
   * @param deployment the monitored deployment
   * @param monitor the monitor's workflow id
   * @param windowStartMillis start of the checked window
   * @param windowEndMillis end of the checked window
   * @param status the check's status, or {@code error} when the check itself failed
   * @param violations how many violations
   * @param driftedFeatures the features concerned
   * @param messages what went wrong, for a person
   * @param reportUri where the full report is; null when the check failed
   */
  record Alert(
      String deployment,
      String monitor,
      long windowStartMillis,
      long windowEndMillis,
      String status,
      int violations,
      List<String> driftedFeatures,
      List<String> messages,
      String reportUri) {
    public Alert {
      driftedFeatures = List.copyOf(driftedFeatures);
      messages = List.copyOf(messages);
    }
  }
}
