package dev.lifecycle.workflows.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.lifecycle.workflows.Replays;
import dev.lifecycle.workflows.monitoring.MonitoringFixtures.FakeMonitoring;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Replays committed histories of {@link MonitoringWorkflowImpl} (checks, a drift alert to two
 * webhooks of which one fails, a retraining start, pause, resume, run-now, continue-as-new; and a
 * retraining on the drifted data followed by an {@code update-baseline}) against the current code.
 * Regenerate with
 *
 * <pre>
 * mvn -B -o -pl workflows test -Dtest=MonitoringWorkflowReplayTest -Dlifecycle.recordHistories=true
 * </pre>
 */
class MonitoringWorkflowReplayTest {
  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  @Test
  void replaysRecordedHistory() throws Exception {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      Replays.assertReplays(env, MonitoringFixtures.QUEUE, "histories/monitoring.json");
    }
  }

  @Test
  void replaysRecordedHistoryWithABaselineUpdate() throws Exception {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      Replays.assertReplays(
          env, MonitoringFixtures.QUEUE, "histories/monitoring-baseline-update.json");
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "lifecycle.recordHistories", matches = "true")
  void recordsHistoryWithABaselineUpdate() throws Exception {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      dev.lifecycle.workflows.activities.ArtifactRef retrained =
          new dev.lifecycle.workflows.activities.ArtifactRef(
              "file:///baselines/retrained",
              "c0ffee",
              2048,
              dev.lifecycle.dsl.plan.ValueType.REPORT,
              "json");
      fake.shiftedBaseline = retrained;
      MonitoringFixtures.register(env, fake);
      env.start();
      fake.shiftAt = env.currentTimeMillis() + Duration.ofDays(1).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/recorded-update",
              MonitoringFixtures.input(
                  List.of(),
                  MonitoringInput.OnViolation.retrain(
                          "FakeRetrain", Map.of("pipeline", "fashion-loop"), Duration.ofDays(7), 1)
                      .withDriftedData("images"),
                  10));
      String firstRun = WorkflowStub.fromTyped(monitor).getExecution().getRunId();
      env.sleep(Duration.ofDays(2).plusHours(1));
      monitor.updateBaseline(new BaselineUpdate(retrained, "retrained"));
      env.sleep(Duration.ofDays(2));
      MonitoringState state = monitor.status();
      assertEquals(4, state.checks());
      assertEquals(1, state.retrainsStarted());
      assertEquals(1, state.baselineUpdates());
      assertEquals(1, state.alertsSent());
      Files.createDirectories(HISTORIES);
      String json =
          env.getWorkflowExecutionHistory(
                  io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                      .setWorkflowId("monitor/recorded-update")
                      .setRunId(firstRun)
                      .build())
              .toJson(true);
      Files.writeString(HISTORIES.resolve("monitoring-baseline-update.json"), json + "\n");
    }
  }

  @Test
  void rejectsAnImplementationThatIssuesOtherCommands() {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      Replays.assertRejects(
          env, MonitoringFixtures.QUEUE, "histories/monitoring.json", SleepsFirst.class);
    }
  }

  @Test
  @EnabledIfSystemProperty(named = "lifecycle.recordHistories", matches = "true")
  void recordsHistory() throws Exception {
    try (TestWorkflowEnvironment env = MonitoringFixtures.environment()) {
      FakeMonitoring fake = new FakeMonitoring();
      MonitoringFixtures.register(env, fake);
      env.start();
      fake.shiftAt = env.currentTimeMillis() + Duration.ofDays(1).plusHours(6).toMillis();
      MonitoringWorkflow monitor =
          MonitoringFixtures.start(
              env,
              "monitor/recorded",
              MonitoringFixtures.input(
                  List.of("http://127.0.0.1:1/hook", "http://127.0.0.1:1/down"),
                  MonitoringInput.OnViolation.retrain(
                      "FakeRetrain", Map.of("pipeline", "abalone"), Duration.ofDays(7), 1),
                  4));
      String firstRun = WorkflowStub.fromTyped(monitor).getExecution().getRunId();
      env.sleep(Duration.ofDays(2).plusHours(1));
      monitor.pause();
      env.sleep(Duration.ofDays(1));
      monitor.resume();
      env.sleep(Duration.ofHours(1));
      monitor.runNow();
      env.sleep(Duration.ofHours(1));
      MonitoringState state = monitor.status();
      assertEquals(4, state.checks());
      assertEquals(1, state.retrainsStarted());
      assertEquals(1, state.run());
      Files.createDirectories(HISTORIES);
      String json =
          env.getWorkflowExecutionHistory(
                  io.temporal.api.common.v1.WorkflowExecution.newBuilder()
                      .setWorkflowId("monitor/recorded")
                      .setRunId(firstRun)
                      .build())
              .toJson(true);
      Files.writeString(HISTORIES.resolve("monitoring.json"), json + "\n");
    }
  }

  /** Sleeps before its first check: the commands differ from the recorded run's. */
  public static class SleepsFirst extends MonitoringWorkflowImpl {
    @Override
    public void monitor(MonitoringInput input) {
      Workflow.sleep(Duration.ofMinutes(1));
      super.monitor(input);
    }
  }
}
