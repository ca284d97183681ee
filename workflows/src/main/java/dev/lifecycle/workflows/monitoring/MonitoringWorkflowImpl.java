package dev.lifecycle.workflows.monitoring;

import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.Alert;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.activities.MonitoringActivities.WindowRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.ActivityStub;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * A durable timer loop: sleep until the next check is due (or a {@code run-now} signal), fetch the
 * window since the last check, check it, alert when it is not {@code ok}, and start a retraining
 * run when asked and allowed by the cooldown and limit. Every {@link MonitoringInput#checksPerRun}
 * checks, or when the history passes {@link #HISTORY_LIMIT} events, the run continues as new with
 * its {@link MonitoringState}, so a monitor of any age keeps every history small.
 *
 * <p>Nothing a check meets fails the monitor: a window that cannot be checked, a check whose
 * activity gives up, or a webhook that stays unreachable is counted and alerted (to the log at
 * least), and the schedule goes on.
 */
public class MonitoringWorkflowImpl implements MonitoringWorkflow {

  /** Checks per run unless the input says otherwise. */
  public static final int DEFAULT_CHECKS_PER_RUN = 30;

  /** Events after which a run continues as new, whatever its checks count. */
  static final int HISTORY_LIMIT = 1_000;

  /** Messages an alert carries at most. */
  private static final int ALERT_MESSAGES = 10;

  /** Status of a check that could not run. */
  static final String ERROR = "error";

  /**
   * A check reads a window and a baseline; a bounded retry so that a capture store down for hours
   * costs one failed check and an alert, not a monitor stuck on one window.
   */
  private static final ActivityOptions CHECK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(30))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(5))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofMinutes(5))
                  .setMaximumAttempts(6)
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE)
                  .build())
          .build();

  /**
   * A webhook gets a few attempts with backoff (about 15 s in all past the timeouts); after that
   * the failure is counted, never waited on further.
   */
  private static final ActivityOptions WEBHOOK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(15))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumInterval(Duration.ofSeconds(8))
                  .setMaximumAttempts(4)
                  .build())
          .build();

  /** Starting a run is quick; a few attempts, then the cooldown decides when to try again. */
  private static final ActivityOptions QUICK =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofMinutes(1))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofSeconds(1))
                  .setBackoffCoefficient(2.0)
                  .setMaximumAttempts(5)
                  .setDoNotRetry(FailureTypes.NON_RETRYABLE)
                  .build())
          .build();

  private static final Logger log = Workflow.getLogger(MonitoringWorkflowImpl.class);

  private MonitoringState state;
  private boolean runNow;

  /** A pause or resume signalled before the run's code started, which wins over the input. */
  private Boolean pausedEarly;

  @Override
  public void monitor(MonitoringInput input) {
    validate(input);
    long every = input.every().toMillis();
    int checksPerRun = input.checksPerRun() > 0 ? input.checksPerRun() : DEFAULT_CHECKS_PER_RUN;
    if (input.carried() == null) {
      long now = Workflow.currentTimeMillis();
      state = MonitoringState.initial(input.deployment(), now, every);
    } else {
      state = input.carried();
    }
    if (pausedEarly != null) {
      state = state.toBuilder().paused(pausedEarly).build();
    }
    MonitoringActivities monitoring = Workflow.newActivityStub(MonitoringActivities.class, CHECK);
    ActivityStub windows = Workflow.newUntypedActivityStub(CHECK);
    String windowSource =
        input.windowSource() == null || input.windowSource().isBlank()
            ? MonitoringActivities.CAPTURE_WINDOW
            : input.windowSource();

    int checksThisRun = 0;
    while (true) {
      if (checksThisRun >= checksPerRun || Workflow.getInfo().getHistoryLength() > HISTORY_LIMIT) {
        MonitoringState next = state.toBuilder().run(state.run() + 1).build();
        Workflow.continueAsNew(input.carrying(next));
      }
      long now = Workflow.currentTimeMillis();
      if (!state.paused() && (runNow || now >= state.nextCheckAt())) {
        boolean scheduled = now >= state.nextCheckAt();
        runNow = false;
        // A scheduled window ends where the schedule says, not when the timer happened to fire.
        long windowEnd = scheduled ? state.nextCheckAt() : now;
        state = state.toBuilder().checking(true).build();
        checkOnce(input, monitoring, windows, windowSource, windowEnd, now);
        state = state.toBuilder().checking(false).build();
        if (scheduled) {
          long next = state.nextCheckAt();
          while (next <= now) {
            next += every;
          }
          state = state.toBuilder().nextCheckAt(next).build();
        }
        checksThisRun++;
        continue;
      }
      if (state.paused()) {
        Workflow.await(() -> !state.paused());
      } else {
        Workflow.await(
            Duration.ofMillis(state.nextCheckAt() - now), () -> runNow || state.paused());
      }
    }
  }

  private void checkOnce(
      MonitoringInput input,
      MonitoringActivities monitoring,
      ActivityStub windows,
      String windowSource,
      long end,
      long now) {
    long start = state.windowStart();
    CheckSummary summary;
    String failure = null;
    try {
      CaptureWindow window =
          windows.execute(
              windowSource, CaptureWindow.class, new WindowRequest(input.deployment(), start, end));
      summary = monitoring.check(new CheckRequest(input.deployment(), baseline(input), window));
    } catch (ActivityFailure e) {
      summary = null;
      failure = describe(e);
    }
    MonitoringState s = state;
    boolean problem = summary == null || !CheckSummary.OK.equals(summary.status());
    long driftSince = s.driftSince();
    if (summary != null && CheckSummary.OK.equals(summary.status())) {
      driftSince = 0;
    } else if (summary != null
        && CheckSummary.VIOLATIONS.equals(summary.status())
        && driftSince == 0) {
      driftSince = start;
    }
    state =
        s.toBuilder()
            .driftSince(driftSince)
            .windowStart(end)
            .lastCheckAt(now)
            .lastReport(summary)
            .checks(s.checks() + 1)
            .checksWithViolations(s.checksWithViolations() + (summary != null && problem ? 1 : 0))
            .violations(s.violations() + (summary == null ? 0 : summary.violations()))
            .failedChecks(s.failedChecks() + (summary == null ? 1 : 0))
            .build();
    if (!problem) {
      return;
    }
    Alert alert =
        summary == null
            ? new Alert(
                input.deployment(),
                Workflow.getInfo().getWorkflowId(),
                start,
                end,
                ERROR,
                0,
                List.of(),
                List.of("The check could not run: " + failure),
                null)
            : new Alert(
                input.deployment(),
                Workflow.getInfo().getWorkflowId(),
                start,
                end,
                summary.status(),
                summary.violations(),
                summary.driftedFeatures(),
                summary.messages().subList(0, Math.min(ALERT_MESSAGES, summary.messages().size())),
                summary.report() == null ? null : summary.report().uri());
    alert(input, alert);
    if (summary != null
        && CheckSummary.VIOLATIONS.equals(summary.status())
        && input.onViolation() != null
        && input.onViolation().retrain()) {
      maybeRetrain(input, windows, windowSource, end);
    }
  }

  private void alert(MonitoringInput input, Alert alert) {
    log.warn(
        "Monitor of '{}': window [{}, {}) is {} with {} violations in {}: {} (report {})",
        alert.deployment(),
        alert.windowStartMillis(),
        alert.windowEndMillis(),
        alert.status(),
        alert.violations(),
        alert.driftedFeatures(),
        alert.messages(),
        alert.reportUri());
    MonitoringActivities webhook = Workflow.newActivityStub(MonitoringActivities.class, WEBHOOK);
    List<Promise<Void>> deliveries = new ArrayList<>();
    for (String url : input.webhooks()) {
      deliveries.add(Async.procedure(webhook::postWebhook, url, alert));
    }
    int failed = 0;
    for (int i = 0; i < deliveries.size(); i++) {
      try {
        deliveries.get(i).get();
      } catch (ActivityFailure e) {
        failed++;
        log.warn(
            "Monitor of '{}': webhook {} failed after its retries: {}",
            alert.deployment(),
            input.webhooks().get(i),
            describe(e));
      }
    }
    MonitoringState s = state;
    state =
        s.toBuilder()
            .alertsSent(s.alertsSent() + 1)
            .alertFailures(s.alertFailures() + failed)
            .build();
  }

  private void maybeRetrain(
      MonitoringInput input, ActivityStub windows, String windowSource, long now) {
    MonitoringInput.OnViolation action = input.onViolation();
    MonitoringState s = state;
    if (s.retrainsStarted() >= action.limit()) {
      log.info(
          "Monitor of '{}': no retraining, the limit of {} runs is reached",
          input.deployment(),
          action.limit());
      return;
    }
    if (now < s.cooldownUntil()) {
      log.info(
          "Monitor of '{}': no retraining, cooling down until {}",
          input.deployment(),
          s.cooldownUntil());
      return;
    }
    String monitorId = Workflow.getInfo().getWorkflowId();
    String retrainId = monitorId + "/retrain-" + (s.retrainsStarted() + 1);
    String queue =
        action.taskQueue() == null || action.taskQueue().isBlank()
            ? Workflow.getInfo().getTaskQueue()
            : action.taskQueue();
    Map<String, Object> runInput = action.input();
    if (action.capturedDataParameter() != null) {
      long since =
          action.driftedDataOnly() && s.driftSince() > 0
              ? Math.max(s.retrainDataSince(), s.driftSince())
              : s.retrainDataSince();
      CaptureWindow captured;
      try {
        captured =
            windows.execute(
                windowSource,
                CaptureWindow.class,
                new WindowRequest(input.deployment(), since, now));
      } catch (ActivityFailure e) {
        log.warn(
            "Monitor of '{}': no retraining, the captured data cannot be exported: {}",
            input.deployment(),
            describe(e));
        return;
      }
      if (captured.data() == null) {
        log.info(
            "Monitor of '{}': no retraining, nothing was captured since {}",
            input.deployment(),
            since);
        return;
      }
      runInput = withParameter(runInput, action.capturedDataParameter(), captured.data().uri());
    }
    List<String> runs = new ArrayList<>(s.retrainRuns());
    int started = s.retrainsStarted();
    // Started by an activity rather than as a child: the run must outlive this monitor run, which
    // continues as new, and a start that fails is then retried by policy like any other call.
    MonitoringActivities starter = Workflow.newActivityStub(MonitoringActivities.class, QUICK);
    try {
      String runId =
          starter.startRetraining(
              new MonitoringActivities.RetrainRequest(
                  monitorId,
                  input.deployment(),
                  retrainId,
                  action.workflowType(),
                  queue,
                  runInput));
      runs.add(retrainId);
      started++;
      log.info(
          "Monitor of '{}': started retraining run {} ({})", input.deployment(), retrainId, runId);
    } catch (ActivityFailure e) {
      log.warn(
          "Monitor of '{}': retraining run {} did not start: {}",
          input.deployment(),
          retrainId,
          describe(e));
    }
    // The cooldown starts at the attempt, so a type that cannot start is not retried every check.
    state =
        s.toBuilder()
            .retrainsStarted(started)
            .retrainRuns(runs)
            .cooldownUntil(now + action.cooldown().toMillis())
            .retrainDataSince(started > s.retrainsStarted() ? now : s.retrainDataSince())
            .build();
  }

  /** {@code input} with {@code parameters.<name> = value} (a copy; the input is not changed). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withParameter(Map<String, Object> input, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(input);
    Object parameters = copy.get("parameters");
    Map<String, Object> merged =
        parameters instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    merged.put(name, value);
    copy.put("parameters", merged);
    return copy;
  }

  private static String describe(TemporalFailure e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure a) {
      return a.getOriginalMessage() + " (" + a.getType() + ")";
    }
    return cause.getMessage();
  }

  private static void validate(MonitoringInput input) {
    List<String> problems = new ArrayList<>();
    if (input == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "MonitoringWorkflow needs an input", FailureTypes.INVALID_INPUT);
    }
    if (input.deployment() == null || input.deployment().isBlank()) {
      problems.add("'deployment' is missing");
    }
    if (input.baseline() == null) {
      problems.add("'baseline' is missing (a directory with statistics.json and constraints.json)");
    }
    if (input.every() == null || input.every().isNegative() || input.every().isZero()) {
      problems.add("'every' must be a positive duration, e.g. \"PT1H\"; got " + input.every());
    }
    MonitoringInput.OnViolation action = input.onViolation();
    if (action != null && action.retrain()) {
      if (action.workflowType() == null || action.workflowType().isBlank()) {
        problems.add("'onViolation.workflowType' is missing: which workflow retrains?");
      }
      if (action.cooldown() == null || action.cooldown().isNegative()) {
        problems.add("'onViolation.cooldown' must be a duration of zero or more");
      }
      if (action.limit() < 1) {
        problems.add("'onViolation.limit' must be at least 1; got " + action.limit());
      }
      if (action.capturedDataParameter() != null && action.capturedDataParameter().isBlank()) {
        problems.add("'onViolation.capturedDataParameter' is empty: name a pipeline parameter");
      }
      Object parameters = action.input() == null ? null : action.input().get("parameters");
      if (parameters != null && !(parameters instanceof Map)) {
        problems.add("'onViolation.input.parameters' must be an object; got " + parameters);
      }
    }
    for (String url : input.webhooks()) {
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
        problems.add("webhook '" + url + "' is not an http(s) URL");
      }
    }
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Invalid MonitoringWorkflow input: " + String.join("; ", problems),
          FailureTypes.INVALID_INPUT);
    }
  }

  /** The baseline checks use: the last update's, else the input's. */
  private ArtifactRef baseline(MonitoringInput input) {
    return state.baseline() != null ? state.baseline() : input.baseline();
  }

  @Override
  public void validateBaselineUpdate(BaselineUpdate update) {
    if (update == null || update.baseline() == null) {
      throw new IllegalArgumentException(
          "'baseline' is missing: a directory artifact with statistics.json and constraints.json");
    }
    if (update.baseline().uri() == null || update.baseline().uri().isBlank()) {
      throw new IllegalArgumentException("'baseline.uri' is missing");
    }
  }

  @Override
  public MonitoringState updateBaseline(BaselineUpdate update) {
    // Handlers may run before the workflow method has set the state up (an update in the first
    // workflow task): wait for it, as every other read of the state does.
    Workflow.await(() -> state != null);
    MonitoringState s = state;
    if (update.baseline().equals(s.baseline())) {
      return s;
    }
    long now = Workflow.currentTimeMillis();
    state =
        s.toBuilder()
            .baseline(update.baseline())
            .baselineUpdates(s.baselineUpdates() + 1)
            .baselineReason(update.reason())
            .windowStart(Math.max(s.windowStart(), now))
            .build();
    log.info(
        "Monitor of '{}': baseline replaced by {} ({})",
        s.deployment(),
        update.baseline().uri(),
        update.reason());
    return state;
  }

  @Override
  public MonitoringState status() {
    return state;
  }

  @Override
  public void pause() {
    pausedSignal(true);
  }

  @Override
  public void resume() {
    pausedSignal(false);
  }

  private void pausedSignal(boolean paused) {
    if (state == null) {
      // Signals are delivered before the workflow method runs in the first workflow task.
      pausedEarly = paused;
      return;
    }
    state = state.toBuilder().paused(paused).build();
  }

  @Override
  public void runNow() {
    runNow = true;
  }
}
