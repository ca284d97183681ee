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
 * Replays a committed history of {@link MonitoringWorkflowImpl} (checks, a drift alert to two
 * webhooks of which one fails, a retraining start, pause, resume, run-now, continue-as-new) against
 * the current code. Regenerate with
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
