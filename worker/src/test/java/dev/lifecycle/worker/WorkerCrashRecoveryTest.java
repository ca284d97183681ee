package dev.lifecycle.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.worker.temporal.EmbeddedTemporal;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.worker.temporal.RunRequestException;
import dev.lifecycle.worker.temporal.SearchAttributes;
import dev.lifecycle.worker.temporal.TemporalConnection;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability promise, with real processes: a worker killed with SIGKILL in the middle of
 * training loses no finished step, and another worker finishes the run, resuming training from the
 * last checkpoint, to the very model an uninterrupted run trains.
 */
class WorkerCrashRecoveryTest {
  /**
   * The abalone train step's heartbeat timeout is 2 minutes; the run here uses the same plan with
   * 10 seconds, so the lost attempt is noticed quickly. The plan travels whole in the run's input.
   */
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  /** Enough epochs that the kill lands well inside training (a few tenths of a second each). */
  private static final int EPOCHS = 80;

  @TempDir Path dir;

  private EmbeddedTemporal temporal;
  private WorkflowServiceStubs stubs;
  private Process workerA;
  private Process workerB;

  @AfterEach
  void stopEverything() throws InterruptedException {
    for (Process p : new Process[] {workerA, workerB}) {
      if (p != null && p.isAlive()) {
        p.destroy();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
    if (stubs != null) {
      stubs.shutdown();
      stubs.awaitTermination(5, TimeUnit.SECONDS);
    }
    if (temporal != null) {
      temporal.close();
    }
  }

  @Test
  void anotherWorkerFinishesTheRunWithoutRedoingFinishedSteps() throws Exception {
    temporal = EmbeddedTemporal.start(EmbeddedTemporal.freePort());
    stubs = TemporalConnection.connect(temporal.address(), Duration.ofSeconds(10));
    assertTrue(SearchAttributes.ensure(stubs, "default"));
    WorkflowClient client = TemporalConnection.client(stubs, "default");
    PipelineRuns runs = new PipelineRuns(client, "lifecycle", PipelineRegistry.fromServiceLoader());

    workerA = startWorker("a");
    PipelinePlan plan =
        withTrainHeartbeatTimeout(PipelineRegistry.fromServiceLoader().plan("abalone"));
    Map<String, Object> parameters = Map.of("epochs", EPOCHS);
    String workflowId = runs.startPlan(plan, parameters, "abalone-crash").workflowId();

    // Killed once a checkpoint reached the server, i.e. in the middle of a later epoch: epochs
    // take nearly all of the training time.
    await(
        "train to checkpoint on worker A",
        Duration.ofSeconds(180),
        () ->
            stepState(runs, workflowId, "train") == StepState.RUNNING
                && checkpointedEpoch(client, workflowId) >= 1);
    int checkpointed = checkpointedEpoch(client, workflowId);
    for (String step : List.of("ingest", "split", "features")) {
      assertEquals(StepState.SUCCEEDED, stepState(runs, workflowId, step), step);
    }
    workerA.destroyForcibly();
    assertTrue(workerA.waitFor(10, TimeUnit.SECONDS));

    workerB = startWorker("b");
    RunStatus result = null;
    try {
      result =
          client
              .newUntypedWorkflowStub(workflowId)
              .getResult(180, TimeUnit.SECONDS, RunStatus.class);
    } catch (Exception e) {
      fail("The run did not finish on worker B: " + e + "\n" + logs(), e);
    }

    assertEquals(RunState.SUCCEEDED, result.state(), result.message());
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    for (String activity : List.of("Ingest", "Split", "Features")) {
      assertEquals(1, scheduled(events, activity), activity + " was scheduled again");
    }
    assertEquals(1, scheduled(events, "Train"));
    int attempt = trainAttempt(events);
    assertTrue(
        attempt > 1, "Train ran in attempt " + attempt + "; expected a retry after the crash");
    StepStatus train = result.step("train");
    Matcher resumed = Pattern.compile("\\(resumed after epoch (\\d+)\\)$").matcher(train.message());
    assertTrue(resumed.find(), train.message());
    int resumedAfter = Integer.parseInt(resumed.group(1));
    assertTrue(
        resumedAfter >= checkpointed && resumedAfter < EPOCHS,
        "resumed after epoch " + resumedAfter + ", killed after checkpoint " + checkpointed);

    // The same plan and parameters, run straight through on worker B: the crashed run's model is
    // bit-identical (the same weights, hence the same content hash), since the checkpoint holds
    // the weights, Adam's moments and step counts, and each epoch's shuffle depends only on the
    // seed and the epoch.
    String straightId = runs.startPlan(plan, parameters, "abalone-straight").workflowId();
    RunStatus straight =
        client.newUntypedWorkflowStub(straightId).getResult(300, TimeUnit.SECONDS, RunStatus.class);
    assertEquals(RunState.SUCCEEDED, straight.state(), straight.message());
    assertTrue(
        !straight.step("train").message().contains("resumed"), straight.step("train").message());
    assertEquals(
        straight.step("train").metrics(), train.metrics(), "the same losses after the crash");
    assertEquals(
        straight.step("train").artifacts().get("model").sha256(),
        train.artifacts().get("model").sha256(),
        "the crashed run's model differs from the uninterrupted run's");
  }

  private Process startWorker(String name) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java.toString(),
            "-Xmx1500m",
            "-Dai.djl.offline=true",
            // As in the test JVM: one intra-op thread is much faster for this small MLP on a
            // loaded 2-core machine, and both workers and both runs use the same kernels.
            "-Dai.djl.pytorch.num_threads=1",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "worker");
    Map<String, String> env = builder.environment();
    env.put("TEMPORAL_ADDRESS", temporal.address());
    env.put("LIFECYCLE_HOME", dir.resolve("home").toString());
    env.put("MICRONAUT_SERVER_PORT", "-1");
    env.put("DJL_OFFLINE", "true");
    env.put("MALLOC_TRIM_THRESHOLD_", "1073741824");
    env.put("MALLOC_MMAP_THRESHOLD_", "33554432");
    builder.redirectErrorStream(true);
    builder.redirectOutput(dir.resolve("worker-" + name + ".log").toFile());
    return builder.start();
  }

  private static PipelinePlan withTrainHeartbeatTimeout(PipelinePlan plan) {
    List<Step> steps =
        plan.steps().stream()
            .map(
                s ->
                    s instanceof Train t
                        ? (Step)
                            new Train(
                                t.name(),
                                t.train(),
                                t.validation(),
                                t.label(),
                                t.task(),
                                t.hiddenLayers(),
                                t.epochs(),
                                t.batchSize(),
                                t.learningRate(),
                                t.seed(),
                                t.options().withHeartbeatTimeout(HEARTBEAT_TIMEOUT),
                                t.after())
                        : s)
            .toList();
    return new PipelinePlan(
        plan.schemaVersion(), plan.name(), plan.description(), plan.parameters(), steps);
  }

  private static StepState stepState(PipelineRuns runs, String workflowId, String step) {
    try {
      StepStatus status = runs.status(workflowId).step(step);
      return status == null ? null : status.state();
    } catch (RunRequestException e) {
      return null;
    }
  }

  /**
   * The epoch of the checkpoint in the train activity's last heartbeat that reached the server, or
   * -1 before any.
   */
  private static int checkpointedEpoch(WorkflowClient client, String workflowId) {
    List<PendingActivityInfo> pending =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                    .build())
            .getPendingActivitiesList();
    for (PendingActivityInfo activity : pending) {
      if (activity.getActivityType().getName().equals("Train")
          && activity.hasHeartbeatDetails()
          && activity.getHeartbeatDetails().getPayloadsCount() > 0) {
        try {
          JsonNode progress =
              PlanJson.lenient()
                  .readTree(activity.getHeartbeatDetails().getPayloads(0).getData().toByteArray());
          return progress.path("checkpoint").isObject() ? progress.path("epoch").asInt(-1) : -1;
        } catch (IOException e) {
          return -1;
        }
      }
    }
    return -1;
  }

  private static long scheduled(List<HistoryEvent> events, String activityType) {
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .filter(
            e ->
                e.getActivityTaskScheduledEventAttributes()
                    .getActivityType()
                    .getName()
                    .equals(activityType))
        .count();
  }

  private static int trainAttempt(List<HistoryEvent> events) {
    Map<Long, String> typeById = new HashMap<>();
    for (HistoryEvent e : events) {
      if (e.hasActivityTaskScheduledEventAttributes()) {
        typeById.put(
            e.getEventId(),
            e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
      }
    }
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskStartedEventAttributes)
        .filter(
            e ->
                "Train"
                    .equals(
                        typeById.get(
                            e.getActivityTaskStartedEventAttributes().getScheduledEventId())))
        .mapToInt(e -> e.getActivityTaskStartedEventAttributes().getAttempt())
        .max()
        .orElse(0);
  }

  private void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      if (workerA != null && !workerA.isAlive()) {
        fail(
            "Worker A exited with "
                + workerA.exitValue()
                + " while waiting for "
                + what
                + "\n"
                + logs());
      }
      Thread.sleep(500);
    }
    fail("Timed out after " + timeout + " waiting for " + what + "\n" + logs());
  }

  private String logs() {
    StringBuilder text = new StringBuilder();
    for (String name : List.of("a", "b")) {
      Path log = dir.resolve("worker-" + name + ".log");
      try {
        if (Files.exists(log)) {
          text.append("--- worker ")
              .append(name)
              .append(" ---\n")
              .append(Files.readString(log, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        text.append("(cannot read ").append(log).append(": ").append(e).append(")\n");
      }
    }
    return text.toString();
  }
}
