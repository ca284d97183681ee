package dev.lifecycle.workflows.monitoring;

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
    int run) {

  public MonitoringState {
    retrainRuns = retrainRuns == null ? List.of() : List.copyOf(retrainRuns);
  }
}
