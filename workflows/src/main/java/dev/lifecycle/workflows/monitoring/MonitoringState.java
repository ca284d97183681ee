package dev.lifecycle.workflows.monitoring;

import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import java.util.List;

/**
 * A monitor's counters and schedule, handed from one run to the next on continue-as-new, and read
 * by the {@code status} query.
 *
 * @param deployment the monitored deployment
 * @param paused whether checks are paused
 * @param nextCheckAt when the next scheduled check is due (epoch milliseconds)
 * @param windowStart where the next window starts: the end of the last checked one
 * @param lastCheckAt when the last check ran; 0 before the first
 * @param lastReport the last check's summary; null before the first or when it failed
 * @param checks checks run
 * @param checksWithViolations checks whose status was not {@code ok}
 * @param violations violations over every check
 * @param failedChecks checks that could not run (e.g. the baseline is gone)
 * @param alertsSent alerts raised
 * @param alertFailures webhook deliveries that failed after their retries
 * @param retrainsStarted retraining runs started
 * @param retrainRuns the workflow ids of the retraining runs started
 * @param cooldownUntil no retraining run starts before this (epoch milliseconds)
 * @param run how many times the monitor continued as new
 * @param retrainDataSince where the captured data handed to the next retraining run starts: the
 *     monitor's start, then each retraining run's start (epoch milliseconds)
 * @param baseline the baseline checks use when it was replaced by an {@code update-baseline}; null
 *     while the monitor's input baseline holds
 * @param baselineUpdates how many times the baseline was replaced
 * @param baselineReason why it was last replaced; null before the first replacement
 * @param checking whether a check (with its alert and retraining) is under way
 * @param driftSince where the current run of checks with violations began: the start of its first
 *     window (epoch milliseconds); 0 when the last check passed
 */
public record MonitoringState(
    String deployment,
    boolean paused,
    long nextCheckAt,
    long windowStart,
    long lastCheckAt,
    CheckSummary lastReport,
    long checks,
    long checksWithViolations,
    long violations,
    long failedChecks,
    long alertsSent,
    long alertFailures,
    int retrainsStarted,
    List<String> retrainRuns,
    long cooldownUntil,
    int run,
    long retrainDataSince,
    ArtifactRef baseline,
    int baselineUpdates,
    String baselineReason,
    long driftSince,
    boolean checking) {

  public MonitoringState {
    retrainRuns = retrainRuns == null ? List.of() : List.copyOf(retrainRuns);
  }

  /** The state of a new monitor of {@code deployment}: first window from {@code now}. */
  static MonitoringState initial(String deployment, long now, long every) {
    return new Builder()
        .deployment(deployment)
        .windowStart(now)
        .nextCheckAt(now + every)
        .retrainDataSince(now)
        .build();
  }

  /** A builder holding this state's values, to change a few of them. */
  Builder toBuilder() {
    Builder b = new Builder();
    b.deployment = deployment;
    b.paused = paused;
    b.nextCheckAt = nextCheckAt;
    b.windowStart = windowStart;
    b.lastCheckAt = lastCheckAt;
    b.lastReport = lastReport;
    b.checks = checks;
    b.checksWithViolations = checksWithViolations;
    b.violations = violations;
    b.failedChecks = failedChecks;
    b.alertsSent = alertsSent;
    b.alertFailures = alertFailures;
    b.retrainsStarted = retrainsStarted;
    b.retrainRuns = retrainRuns;
    b.cooldownUntil = cooldownUntil;
    b.run = run;
    b.retrainDataSince = retrainDataSince;
    b.baseline = baseline;
    b.baselineUpdates = baselineUpdates;
    b.baselineReason = baselineReason;
    b.driftSince = driftSince;
    b.checking = checking;
    return b;
  }

  /** Changes a few values of a state; the workflow's only way to make a new one. */
  static final class Builder {
    private String deployment;
    private boolean paused;
    private long nextCheckAt;
    private long windowStart;
    private long lastCheckAt;
    private CheckSummary lastReport;
    private long checks;
    private long checksWithViolations;
    private long violations;
    private long failedChecks;
    private long alertsSent;
    private long alertFailures;
    private int retrainsStarted;
    private List<String> retrainRuns = List.of();
    private long cooldownUntil;
    private int run;
    private long retrainDataSince;
    private ArtifactRef baseline;
    private int baselineUpdates;
    private String baselineReason;
    private long driftSince;
    private boolean checking;

    Builder checking(boolean value) {
      checking = value;
      return this;
    }

    Builder driftSince(long value) {
      driftSince = value;
      return this;
    }

    Builder baseline(ArtifactRef value) {
      baseline = value;
      return this;
    }

    Builder baselineUpdates(int value) {
      baselineUpdates = value;
      return this;
    }

    Builder baselineReason(String value) {
      baselineReason = value;
      return this;
    }

    Builder deployment(String value) {
      deployment = value;
      return this;
    }

    Builder paused(boolean value) {
      paused = value;
      return this;
    }

    Builder nextCheckAt(long value) {
      nextCheckAt = value;
      return this;
    }

    Builder retrainDataSince(long value) {
      retrainDataSince = value;
      return this;
    }

    Builder windowStart(long value) {
      windowStart = value;
      return this;
    }

    Builder lastCheckAt(long value) {
      lastCheckAt = value;
      return this;
    }

    Builder lastReport(CheckSummary value) {
      lastReport = value;
      return this;
    }

    Builder checks(long value) {
      checks = value;
      return this;
    }

    Builder checksWithViolations(long value) {
      checksWithViolations = value;
      return this;
    }

    Builder violations(long value) {
      violations = value;
      return this;
    }

    Builder failedChecks(long value) {
      failedChecks = value;
      return this;
    }

    Builder alertsSent(long value) {
      alertsSent = value;
      return this;
    }

    Builder alertFailures(long value) {
      alertFailures = value;
      return this;
    }

    Builder retrainsStarted(int value) {
      retrainsStarted = value;
      return this;
    }

    Builder retrainRuns(List<String> value) {
      retrainRuns = value;
      return this;
    }

    Builder cooldownUntil(long value) {
      cooldownUntil = value;
      return this;
    }

    Builder run(int value) {
      run = value;
      return this;
    }

    MonitoringState build() {
      return new MonitoringState(
          deployment,
          paused,
          nextCheckAt,
          windowStart,
          lastCheckAt,
          lastReport,
          checks,
          checksWithViolations,
          violations,
          failedChecks,
          alertsSent,
          alertFailures,
          retrainsStarted,
          retrainRuns,
          cooldownUntil,
          run,
          retrainDataSince,
          baseline,
          baselineUpdates,
          baselineReason,
          driftSince,
          checking);
    }
  }
}
