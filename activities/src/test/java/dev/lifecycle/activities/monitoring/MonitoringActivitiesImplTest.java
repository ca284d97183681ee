package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.CaptureActivities;
import dev.lifecycle.workflows.activities.MonitoringActivities.CaptureWindow;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckRequest;
import dev.lifecycle.workflows.activities.MonitoringActivities.CheckSummary;
import dev.lifecycle.workflows.monitoring.MonitoringInput;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The real check, webhook and retraining activities, alone and under a monitor. */
@Timeout(180)
class MonitoringActivitiesImplTest {
  @TempDir static Path dir;
  static LocalArtifactStore store;
  static ArtifactRef baseline;
  static ArtifactRef training;
  static ArtifactRef shifted;
  static ArtifactRef empty;
  static ArtifactRef lengthless;

  @BeforeAll
  static void prepare() throws Exception {
    store = new LocalArtifactStore(dir.resolve("artifacts"));
    Path train =
        MonitoringTestData.writeParquet(
            dir.resolve("train.parquet"), MonitoringTestData.rows(3000, 11, 0.0));
    Baseline computed =
        Baselines.compute(
            train,
            BaselineOptions.newBuilder()
                .optNumericDrift(
                    List.of(
                        new DriftCheck(DriftMethod.PSI, 0.25),
                        new DriftCheck(DriftMethod.KOLMOGOROV_SMIRNOV, 0.001)))
                .optCategoricalDrift(List.of(new DriftCheck(DriftMethod.CHI_SQUARE, 0.001)))
                .build());
    Baselines.write(computed, dir.resolve("baseline"));
    baseline = store.put(dir.resolve("baseline"), ValueType.REPORT, "json");
    training = window("training.parquet", MonitoringTestData.rows(500, 21, 0.0));
    shifted = window("shifted.parquet", MonitoringTestData.rows(500, 22, 0.3));
    empty = window("empty.parquet", List.of());
    Path noLength =
        MonitoringTestData.writeParquet(
            dir.resolve("lengthless.parquet"),
            "Rings BIGINT, Sex VARCHAR",
            List.of("Rings", "Sex"),
            MonitoringTestData.rows(500, 23, 0.0));
    lengthless = store.put(noLength, ValueType.DATASET, "parquet");
  }

  private static ArtifactRef window(String name, List<Map<String, Object>> rows) throws Exception {
    return store.put(
        MonitoringTestData.writeParquet(dir.resolve(name), rows), ValueType.DATASET, "parquet");
  }

  private static CheckSummary check(ArtifactRef data) {
    return new MonitoringActivitiesImpl(store)
        .check(
            new CheckRequest(
                "abalone-prod", baseline, new CaptureWindow("abalone-prod", 0, 86_400_000, data)));
  }

  @Test
  void passesAWindowFromTheTrainingDistributionAndStoresTheReport() throws Exception {
    CheckSummary summary = check(training);
    assertEquals(CheckSummary.OK, summary.status(), summary.messages().toString());
    assertEquals(500, summary.windowRows());
    assertEquals(0, summary.violations());
    Path dir = store.resolve(summary.report());
    JsonNode report =
        PlanJson.lenient().readTree(dir.resolve(MonitoringActivitiesImpl.REPORT_FILE).toFile());
    assertEquals("ok", report.get("status").asText());
    assertEquals(3, report.get("features").size());
    assertEquals(3, report.get("plots").size());
    for (JsonNode plot : report.get("plots")) {
      String svg = Files.readString(dir.resolve(plot.get("file").asText()));
      assertTrue(svg.startsWith("<svg") && svg.contains(plot.get("feature").asText()), svg);
    }
  }

  @Test
  void reportsTheDriftOfAShiftedWindow() {
    CheckSummary summary = check(shifted);
    assertEquals(CheckSummary.VIOLATIONS, summary.status());
    assertEquals(List.of("Length"), summary.driftedFeatures());
    assertTrue(
        summary.messages().stream().anyMatch(m -> m.contains("psi")),
        summary.messages().toString());
  }

  @Test
  void anEmptyOrUncapturedWindowIsInvalidInputNotAFailure() {
    CheckSummary emptyWindow = check(empty);
    assertEquals(CheckSummary.INVALID_INPUT, emptyWindow.status());
    assertTrue(
        emptyWindow.messages().get(0).contains("no rows"), emptyWindow.messages().toString());
    CheckSummary nothing = check(null);
    assertEquals(CheckSummary.INVALID_INPUT, nothing.status());
    assertTrue(nothing.messages().get(0).contains("Nothing was captured"));
  }

  @Test
  void aFeatureMissingFromTheWindowIsAViolationNamingIt() {
    CheckSummary summary = check(lengthless);
    assertEquals(CheckSummary.VIOLATIONS, summary.status());
    assertEquals(List.of("Length"), summary.driftedFeatures());
    assertTrue(
        summary.messages().stream()
            .anyMatch(m -> m.contains("'Length'") && m.contains("not in the window")));
  }

  @Test
  void aMissingBaselineFailsNonRetryablyNamingIt() {
    ArtifactRef gone =
        new ArtifactRef(
            dir.resolve("nowhere").toUri().toString(), "00", 1, ValueType.REPORT, "json");
    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class,
            () ->
                new MonitoringActivitiesImpl(store)
                    .check(
                        new CheckRequest(
                            "abalone-prod",
                            gone,
                            new CaptureWindow("abalone-prod", 0, 1, training))));
    assertTrue(e.isNonRetryable());
    assertEquals(FailureTypes.MISSING_ARTIFACT, e.getType());
    assertTrue(e.getOriginalMessage().contains("nowhere"));
  }

  /** The workflow the monitor starts to retrain. */
  @WorkflowInterface
  public interface RetrainTarget {
    @WorkflowMethod(name = "RetrainTarget")
    String retrain(Map<String, Object> input);
  }

  /** Returns at once with the pipeline it was asked to run. */
  public static class RetrainTargetImpl implements RetrainTarget {
    @Override
    public String retrain(Map<String, Object> input) {
      return "retrained " + input.get("pipeline");
    }
  }

  @Test
  void aMonitorAlertsTheReceiverRetrainsAndOutlivesAnUnreachableWebhook() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/alerts",
        exchange -> {
          bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    AtomicInteger served = new AtomicInteger();
    // Serves the training window on days 1–2, an empty one on day 3, a shifted one after.
    CaptureActivities windows =
        request -> {
          int day = served.incrementAndGet();
          ArtifactRef data = day <= 2 ? training : day == 3 ? empty : shifted;
          return new CaptureWindow(
              request.deployment(), request.startMillis(), request.endMillis(), data);
        };
    try (TestWorkflowEnvironment env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build())) {
      Worker worker = env.newWorker("monitoring");
      LifecycleWorkers.register(
          worker,
          new MonitoringActivitiesImpl(store, new WebhookNotifier(Duration.ofSeconds(2))),
          windows);
      worker.registerWorkflowImplementationTypes(RetrainTargetImpl.class);
      env.start();
      String unreachable = "http://127.0.0.1:" + WebhookNotifierTest.closedPort() + "/alerts";
      String reachable = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/alerts";
      MonitoringWorkflow monitor =
          env.getWorkflowClient()
              .newWorkflowStub(
                  MonitoringWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue("monitoring")
                      .setWorkflowId("monitor/e2e")
                      .build());
      WorkflowClient.start(
          monitor::monitor,
          new MonitoringInput(
              "abalone-prod",
              baseline,
              null,
              Duration.ofDays(1),
              List.of(unreachable, reachable),
              MonitoringInput.OnViolation.retrain(
                  "RetrainTarget", Map.of("pipeline", "abalone"), Duration.ofDays(30), 1),
              0,
              null));
      env.sleep(Duration.ofDays(5).plusHours(1));
      MonitoringState state = monitor.status();
      assertEquals(5, state.checks());
      assertEquals(3, state.checksWithViolations());
      assertEquals(3, state.alertsSent());
      assertEquals(3, state.alertFailures(), "the unreachable webhook, once per alert");
      assertEquals(1, state.retrainsStarted());
      assertEquals(CheckSummary.VIOLATIONS, state.lastReport().status());

      assertEquals(3, bodies.size());
      JsonNode invalid = PlanJson.lenient().readTree(bodies.get(0));
      assertEquals("invalid_input", invalid.get("status").asText());
      assertTrue(invalid.get("messages").get(0).asText().contains("no rows"));
      JsonNode drift = PlanJson.lenient().readTree(bodies.get(1));
      assertEquals("violations", drift.get("status").asText());
      assertEquals("Length", drift.get("driftedFeatures").get(0).asText());
      assertTrue(Files.exists(Path.of(java.net.URI.create(drift.get("reportUri").asText()))));

      // The unreachable webhook was tried by the retry policy, not once: its last attempt is 4.
      int lastAttempt =
          env
              .getWorkflowExecutionHistory(
                  WorkflowExecution.newBuilder().setWorkflowId("monitor/e2e").build())
              .getEvents()
              .stream()
              .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
              .mapToInt(e -> e.getActivityTaskStartedEventAttributes().getAttempt())
              .max()
              .orElse(0);
      assertEquals(4, lastAttempt);

      String retrainId = "monitor/e2e/retrain-1";
      assertEquals(
          "retrained abalone",
          env.getWorkflowClient().newUntypedWorkflowStub(retrainId).getResult(String.class));
      var memo =
          env.getWorkflowClient()
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(env.getNamespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(retrainId).build())
                      .build())
              .getWorkflowExecutionInfo()
              .getMemo()
              .getFieldsMap();
      assertTrue(memo.containsKey("lifecycleMonitor"), memo.keySet().toString());
    } finally {
      receiver.stop(0);
    }
  }
}
