package dev.lifecycle.workflows.monitoring;

import static dev.lifecycle.workflows.monitoring.MonitoringFixtures.DAY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.MonitoringActivities.Alert;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.activities.MonitoringActivities.RetrainRequest;
import dev.lifecycle.workflows.monitoring.MonitoringFixtures.FakeMonitoring;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A failing workflow task retries for ever under time skipping: fail the test instead. */
@Timeout(180)
class MonitoringWorkflowImplTest {

  @Test
  void alertsWithinOnePeriodOfAShiftAndRetrainsOnceWithinTheCooldown() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      long start = env.currentTimeMillis();
      // Traffic shifts during day 31: the window ending on day 31 is the first to see it.
      fake.shiftAt = start + Duration.ofDays(30).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/abalone",
              MonitoringFixtures.input(
                  List.of("http://127.0.0.1:1/hook"),
                  MonitoringInput.OnViolation.retrain(
                      "FakeRetrain", Map.of("pipeline", "abalone"), Duration.ofDays(45), 3),
                  10));

      env.sleep(Duration.ofDays(30).plusHours(1));
      MonitoringState before = monitor.status();
      assertEquals(30, before.checks());
      assertEquals(0, before.alertsSent());
      assertEquals(0, before.retrainsStarted());
      assertEquals(CheckSummary.OK, before.lastReport().status());
      assertTrue(fake.delivered.isEmpty());

      env.sleep(DAY);
      MonitoringState after = monitor.status();
      assertEquals(31, after.checks());
      assertEquals(1, after.alertsSent());
      assertEquals(CheckSummary.VIOLATIONS, after.lastReport().status());
      assertEquals(List.of("Length"), after.lastReport().driftedFeatures());
      assertEquals(1, after.retrainsStarted());

      env.sleep(Duration.ofDays(29));
      MonitoringState end = monitor.status();
      assertEquals(60, end.checks());
      assertEquals(30, end.checksWithViolations());
      assertEquals(60, end.violations());
      assertEquals(30, end.alertsSent());
      assertEquals(0, end.alertFailures());
      assertEquals(1, end.retrainsStarted());
      assertEquals(List.of("monitor/abalone/retrain-1"), end.retrainRuns());
      assertEquals(6, end.run(), "continued as new after every 10 checks");
      assertEquals(1, fake.retrains.size());
      RetrainRequest retrain = fake.retrains.get(0);
      assertEquals("monitor/abalone", retrain.monitor());
      assertEquals("monitor/abalone/retrain-1", retrain.workflowId());
      assertEquals("FakeRetrain", retrain.workflowType());
      assertEquals(MonitoringFixtures.QUEUE, retrain.taskQueue());
      assertEquals(Map.of("pipeline", "abalone"), retrain.input());
      assertEquals(30, fake.delivered.size());
      Alert first = fake.delivered.get(0);
      assertEquals("violations", first.status());
      assertEquals(List.of("Length"), first.driftedFeatures());
      assertTrue(
          first.windowStartMillis() < fake.shiftAt && first.windowEndMillis() > fake.shiftAt);
      assertEquals(first.windowEndMillis() + Duration.ofDays(45).toMillis(), end.cooldownUntil());
    }
  }

  @Test
  void checksAgainstAnUpdatedBaselineFromTheUpdateOnAcrossContinueAsNew() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      ArtifactRef retrained =
          new ArtifactRef("file:///baselines/retrained", "c0ffee", 2048, ValueType.REPORT, "json");
      fake.shiftedBaseline = retrained;
      MonitoringFixtures.register(env, fake);
      env.start();
      long start = env.currentTimeMillis();
      fake.shiftAt = start + Duration.ofDays(5).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/updated",
              MonitoringFixtures.input(List.of(), MonitoringInput.OnViolation.alertOnly(), 3));

      env.sleep(Duration.ofDays(6).plusHours(1));
      assertEquals(1, monitor.status().alertsSent(), "the shift is alerted on");

      long updatedAt = env.currentTimeMillis();
      MonitoringState updated =
          monitor.updateBaseline(new BaselineUpdate(retrained, "abalone v2 deployed"));
      assertEquals(1, updated.baselineUpdates());
      assertEquals(retrained, updated.baseline());
      assertEquals("abalone v2 deployed", updated.baselineReason());
      assertTrue(updated.windowStart() >= updatedAt, "the next window starts at the update");
      assertEquals(
          updated,
          monitor.updateBaseline(new BaselineUpdate(retrained, "again")),
          "the same baseline again changes nothing");
      assertThrows(
          WorkflowUpdateException.class,
          () -> monitor.updateBaseline(new BaselineUpdate(null, "no baseline")));

      env.sleep(Duration.ofDays(10));
      MonitoringState end = monitor.status();
      assertEquals(16, end.checks());
      assertEquals(1, end.alertsSent(), "the new normal is not alerted on");
      assertTrue(end.run() >= 4, "continued as new with the updated baseline: " + end.run());
      assertEquals(retrained, end.baseline());
      assertEquals(1, end.baselineUpdates());
      assertTrue(!end.checking(), "between checks");
      List<CheckRequest> later = fake.checks.subList(6, fake.checks.size());
      assertEquals(10, later.size());
      assertTrue(later.stream().allMatch(c -> c.baseline().equals(retrained)));
      assertTrue(later.get(0).window().startMillis() >= updatedAt);
      assertTrue(
          fake.checks.subList(0, 6).stream()
              .allMatch(c -> c.baseline().equals(MonitoringFixtures.BASELINE)));
    }
  }

  @Test
  void startsNoMoreRetrainingRunsThanTheLimit() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      fake.shiftAt = 0;
      MonitoringFixtures.register(env, fake);
      env.start();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/limit",
              MonitoringFixtures.input(
                  List.of(),
                  MonitoringInput.OnViolation.retrain(
                      "FakeRetrain", Map.of("pipeline", "abalone"), Duration.ofDays(7), 2),
                  0));
      env.sleep(Duration.ofDays(30).plusHours(1));
      MonitoringState state = monitor.status();
      assertEquals(30, state.checks());
      assertEquals(30, state.alertsSent());
      assertEquals(2, state.retrainsStarted());
      assertEquals(
          List.of("monitor/limit/retrain-1", "monitor/limit/retrain-2"), state.retrainRuns());
      assertEquals(2, fake.retrains.size());
      assertEquals(
          Duration.ofDays(7).toMillis(),
          fake.checks.get(7).window().endMillis() - fake.checks.get(0).window().endMillis(),
          "the second run starts when the cooldown ends");
    }
  }

  @Test
  void handsTheRetrainingRunOnlyTheDataCapturedSinceTheDriftBegan() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      long start = env.currentTimeMillis();
      // Traffic shifts during day 4, and the monitor retrains only from day 5's check on (the
      // cooldown of a first attempt that could not start is not modelled here: limit 1).
      fake.shiftAt = start + Duration.ofDays(3).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/drifted",
              MonitoringFixtures.input(
                  List.of(),
                  MonitoringInput.OnViolation.retrain(
                          "FakeRetrain", Map.of("pipeline", "fashion-loop"), Duration.ofDays(3), 1)
                      .withDriftedData("images"),
                  0));
      env.sleep(Duration.ofDays(3).plusHours(1));
      assertEquals(0, monitor.status().driftSince(), "no drift yet");
      env.sleep(DAY);
      long day3 = fake.checks.get(2).window().endMillis();
      long day4 = fake.checks.get(3).window().endMillis();
      assertEquals(day3, monitor.status().driftSince(), "the drift began with the 4th window");
      assertEquals(1, fake.retrains.size());
      assertEquals(
          "file:///capture/" + day3 + "-" + day4 + ".parquet",
          ((Map<?, ?>) fake.retrains.get(0).input().get("parameters")).get("images"),
          "only the window that drifted, not the three normal days before it");
    }
  }

  @Test
  void handsEachRetrainingRunTheDataCapturedSinceTheLastOne() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      fake.shiftAt = 0;
      MonitoringFixtures.register(env, fake);
      env.start();
      MonitoringFixtures.start(
          env,
          "monitor/captured",
          MonitoringFixtures.input(
              List.of(),
              MonitoringInput.OnViolation.retrain(
                      "FakeRetrain",
                      Map.of("pipeline", "fashion-retrain", "parameters", Map.of("epochs", 3)),
                      Duration.ofDays(3),
                      2)
                  .withCapturedData("capturedData"),
              0));
      env.sleep(Duration.ofDays(5).plusHours(1));
      assertEquals(2, fake.retrains.size());
      long start = fake.checks.get(0).window().startMillis();
      long day1 = start + DAY.toMillis();
      long day4 = start + 4 * DAY.toMillis();
      assertEquals(
          Map.of(
              "pipeline",
              "fashion-retrain",
              "parameters",
              Map.of(
                  "epochs",
                  3,
                  "capturedData",
                  "file:///capture/" + start + "-" + day1 + ".parquet")),
          fake.retrains.get(0).input());
      assertEquals(
          "file:///capture/" + day1 + "-" + day4 + ".parquet",
          ((Map<?, ?>) fake.retrains.get(1).input().get("parameters")).get("capturedData"),
          "the second run gets what was captured since the first started");
    }
  }

  @Test
  void keepsEveryHistoryUnder2000EventsOverAYearOfDailyChecks() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      fake.shiftAt = env.currentTimeMillis() + Duration.ofDays(180).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/year",
              MonitoringFixtures.input(
                  List.of("http://127.0.0.1:1/hook", "http://127.0.0.1:1/down"),
                  MonitoringInput.OnViolation.alertOnly(),
                  0));
      env.sleep(Duration.ofDays(365).plusHours(1));
      MonitoringState state = monitor.status();
      assertEquals(365, state.checks());
      assertEquals(185, state.alertsSent());
      assertEquals(185, state.alertFailures());

      // Follow the chain of continued runs back from the current one (no run id: the latest).
      String runId = "";
      int runs = 0;
      int longest = 0;
      do {
        WorkflowExecutionHistory history =
            env.getWorkflowExecutionHistory(
                WorkflowExecution.newBuilder()
                    .setWorkflowId("monitor/year")
                    .setRunId(runId)
                    .build());
        List<HistoryEvent> events = history.getEvents();
        longest = Math.max(longest, events.size());
        assertTrue(events.size() < 2000, "run " + runId + " has " + events.size() + " events");
        runId =
            events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
        runs++;
      } while (!runId.isEmpty());
      assertEquals(state.run() + 1, runs);
      assertTrue(runs >= 365 / MonitoringWorkflowImpl.DEFAULT_CHECKS_PER_RUN, "runs: " + runs);
      System.out.printf("365 daily checks: %d runs, longest history %d events%n", runs, longest);
    }
  }

  @Test
  void pausesResumesAndRunsNowOnSignals() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/signals",
              MonitoringFixtures.input(List.of(), MonitoringInput.OnViolation.alertOnly(), 0));
      env.sleep(Duration.ofDays(2).plusHours(12));
      assertEquals(2, monitor.status().checks());
      long start = fake.checks.get(0).window().startMillis();

      monitor.pause();
      env.sleep(Duration.ofDays(5));
      MonitoringState paused = monitor.status();
      assertTrue(paused.paused());
      assertEquals(2, paused.checks());

      monitor.resume();
      env.sleep(Duration.ofMinutes(1));
      MonitoringState resumed = monitor.status();
      assertEquals(3, resumed.checks(), "the check due while paused runs at resume");
      // The window covers the whole pause, from the end of the last one.
      assertEquals(start + 2 * DAY.toMillis(), fake.checks.get(2).window().startMillis());
      assertEquals(start + 8 * DAY.toMillis(), resumed.nextCheckAt());

      env.sleep(Duration.ofHours(2));
      monitor.runNow();
      env.sleep(Duration.ofMinutes(1));
      MonitoringState ranNow = monitor.status();
      assertEquals(4, ranNow.checks());
      assertEquals(start + 8 * DAY.toMillis(), ranNow.nextCheckAt(), "run-now keeps the schedule");
      assertEquals(
          fake.checks.get(2).window().endMillis(), fake.checks.get(3).window().startMillis());

      monitor.pause();
      monitor.runNow();
      env.sleep(Duration.ofHours(1));
      assertEquals(4, monitor.status().checks(), "run-now waits while paused");
      monitor.resume();
      env.sleep(Duration.ofMinutes(1));
      assertEquals(5, monitor.status().checks());
      assertTrue(
          fake.checks.stream().allMatch(c -> c.baseline().equals(MonitoringFixtures.BASELINE)));
    }
  }

  @Test
  void aCheckThatCannotRunIsAlertedAndTheScheduleGoesOn() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      fake.failingChecks.add(2);
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/failing",
              MonitoringFixtures.input(
                  List.of("http://127.0.0.1:1/hook"), MonitoringInput.OnViolation.alertOnly(), 0));
      env.sleep(Duration.ofDays(3).plusHours(1));
      MonitoringState state = monitor.status();
      assertEquals(3, state.checks());
      assertEquals(1, state.failedChecks());
      assertEquals(1, state.alertsSent());
      assertEquals(CheckSummary.OK, state.lastReport().status());
      assertEquals(MonitoringWorkflowImpl.ERROR, fake.delivered.get(0).status());
      assertNull(fake.delivered.get(0).reportUri());
      assertTrue(fake.delivered.get(0).messages().get(0).contains("baseline gone"));
    }
  }

  @Test
  void rejectsAnInputWithoutASchedule() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      MonitoringFixtures.register(env, new FakeMonitoring());
      env.start();
      MonitoringInput input =
          new MonitoringInput(
              "abalone-prod",
              MonitoringFixtures.BASELINE,
              null,
              Duration.ZERO,
              List.of("ftp://nowhere"),
              MonitoringInput.OnViolation.retrain("", Map.of(), Duration.ofDays(1), 0),
              0,
              null);
      MonitoringWorkflow monitor = MonitoringFixtures.start(env, "monitor/bad", input);
      WorkflowFailedException e =
          assertThrows(
              WorkflowFailedException.class,
              () -> WorkflowStub.fromTyped(monitor).getResult(Void.class));
      ApplicationFailure failure = assertInstanceOf(ApplicationFailure.class, e.getCause());
      assertEquals(FailureTypes.INVALID_INPUT, failure.getType());
      String message = failure.getOriginalMessage();
      assertTrue(message.contains("'every'"), message);
      assertTrue(message.contains("ftp://nowhere"), message);
      assertTrue(message.contains("workflowType"), message);
      assertTrue(message.contains("limit"), message);
    }
  }
}
