package dev.lifecycle.workflows.monitoring;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.CaptureActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.Alert;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.activities.MonitoringActivities.RetrainRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Environments, inputs and fake activities for the monitoring workflow's tests. */
final class MonitoringFixtures {
  static final String QUEUE = "monitoring-test";
  static final Duration DAY = Duration.ofDays(1);
  static final ArtifactRef BASELINE =
      new ArtifactRef("file:///baselines/abalone", "b45e", 2048, ValueType.REPORT, "json");

  private MonitoringFixtures() {}

  static TestWorkflowEnvironment environment() {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkflowClientOptions(
                WorkflowClientOptions.newBuilder()
                    .setDataConverter(LifecycleDataConverter.create())
                    .build())
            .build());
  }

  static Worker register(TestWorkflowEnvironment env, FakeMonitoring fake) {
    Worker worker = env.newWorker(QUEUE);
    LifecycleWorkers.register(worker, fake, fake.windows);
    return worker;
  }

  static MonitoringInput input(
      List<String> webhooks, MonitoringInput.OnViolation onViolation, int checksPerRun) {
    return new MonitoringInput(
        "abalone-prod", BASELINE, null, DAY, webhooks, onViolation, checksPerRun, null);
  }

  static MonitoringWorkflow start(TestWorkflowEnvironment env, String id, MonitoringInput input) {
    MonitoringWorkflow monitor =
        env.getWorkflowClient()
            .newWorkflowStub(
                MonitoringWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(monitor::monitor, input);
    return monitor;
  }

  /**
   * Windows of the deployment whose content is the training distribution until {@link #shiftAt},
   * shifted after: a check reports drift of {@code Length} for any window ending after the shift.
   * Checks listed in {@link #failingChecks} fail non-retryably, webhooks whose URL contains {@code
   * down} fail every attempt.
   */
  static final class FakeMonitoring implements MonitoringActivities {
    @Override
    public dev.lifecycle.workflows.activities.StepResult startMonitor(
        dev.lifecycle.workflows.activities.StepTask task) {
      throw new UnsupportedOperationException("The monitor's own tests run no pipeline step");
    }

    volatile long shiftAt = Long.MAX_VALUE;

    /** A baseline against which the shifted traffic is normal (e.g. a retrained model's). */
    volatile ArtifactRef shiftedBaseline;

    final List<CheckRequest> checks = new CopyOnWriteArrayList<>();
    final List<Alert> delivered = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<RetrainRequest> retrains = new CopyOnWriteArrayList<>();

    /** Checks (1-based) that fail non-retryably. */
    final List<Integer> failingChecks = new CopyOnWriteArrayList<>();

    final CaptureActivities windows =
        request ->
            new CaptureWindow(
                request.deployment(),
                request.startMillis(),
                request.endMillis(),
                new ArtifactRef(
                    "file:///capture/"
                        + request.startMillis()
                        + "-"
                        + request.endMillis()
                        + ".parquet",
                    Long.toHexString(request.endMillis()),
                    100,
                    ValueType.DATASET,
                    "parquet"));

    @Override
    public CheckSummary check(CheckRequest request) {
      checks.add(request);
      long end = request.window().endMillis();
      if (failingChecks.contains(checks.size())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "baseline gone", "LifecycleMissingArtifact");
      }
      ArtifactRef report =
          new ArtifactRef(
              "file:///reports/" + end + ".json",
              Long.toHexString(end),
              10,
              ValueType.REPORT,
              "json");
      if (end > shiftAt && !request.baseline().equals(shiftedBaseline)) {
        return new CheckSummary(
            CheckSummary.VIOLATIONS,
            100,
            2,
            List.of("Length"),
            List.of(
                "Feature 'Length' drifted by psi: PSI 1.2", "Feature 'Length': 12 out of range"),
            report);
      }
      return new CheckSummary(CheckSummary.OK, 100, 0, List.of(), List.of(), report);
    }

    @Override
    public String startRetraining(RetrainRequest request) {
      retrains.add(request);
      return "run-" + retrains.size();
    }

    @Override
    public void postWebhook(String url, Alert alert) {
      attempts.computeIfAbsent(url, u -> new AtomicInteger()).incrementAndGet();
      if (url.contains("down")) {
        throw ApplicationFailure.newFailure("connection refused: " + url, "WebhookUnreachable");
      }
      delivered.add(alert);
    }
  }
}
