package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepProgress;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training inside a real {@code PipelineWorkflow} run: progress in the {@code status} query, a
 * retry after a failed epoch resuming from the last checkpoint, and cancellation of the run
 * stopping the training.
 */
class TrainingRunTest {
  private static final String QUEUE = "training-run-test";

  @TempDir Path tmp;
  private TestDatabase.Instance db;
  private LifecycleActivities activities;
  private TestWorkflowEnvironment env;
  private FaultyStore store;
  private final AtomicInteger training = new AtomicInteger();

  @BeforeEach
  void setUp() {
    db = TestDatabase.H2.create(tmp);
    activities = LifecycleActivities.open(db.settings(), PipelineRegistry.of());
    store = new FaultyStore(activities.artifacts());
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    TrainingActivitiesImpl trainer =
        new TrainingActivitiesImpl(store, activities.metadata(), Duration.ofMillis(100))
            .withProgressInterval(Duration.ZERO);
    // Counts attempts that are inside train(): the cancellation test waits for none to be left.
    TrainingActivities counted =
        new TrainingActivities() {
          @Override
          public StepResult train(StepTask task) {
            training.incrementAndGet();
            try {
              return trainer.train(task);
            } finally {
              training.decrementAndGet();
            }
          }
        };
    List<Object> all = new ArrayList<>();
    for (Object a : activities.all()) {
      if (!(a instanceof TrainingActivitiesImpl)) {
        all.add(a);
      }
    }
    all.add(counted);
    Worker worker = env.newWorker(QUEUE);
    LifecycleWorkers.register(worker, all.toArray());
    env.start();
  }

  @AfterEach
  void tearDown() {
    env.close();
    activities.close();
    db.close();
  }

  @Test
  void statusShowsEpochLossAndEtaWhileTraining() throws Exception {
    CountDownLatch release = store.blockBeforeCheckpoint(3);
    PipelineWorkflow run = start("progress", plan(6));
    assertTrue(store.blocked.await(2, TimeUnit.MINUTES), "training reached epoch 3");
    StepStatus train =
        await(
            run,
            s -> s.step("train").progress() != null && s.step("train").progress().epoch() == 2);
    StepProgress progress = train.progress();
    assertEquals(StepState.RUNNING, train.state());
    assertEquals(6, progress.totalEpochs());
    assertEquals(1, progress.attempt());
    assertNotNull(progress.trainLoss());
    assertNotNull(progress.validationLoss());
    assertNotNull(progress.etaMillis());
    assertTrue(progress.etaMillis() >= 0 && progress.elapsedMillis() > 0, progress.toString());
    release.countDown();

    RunStatus done = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, done.state(), done.message());
    StepProgress last = done.step("train").progress();
    assertEquals(6, last.epoch());
    assertEquals(0L, last.etaMillis());
    assertEquals(done.step("train").metrics().get("train_loss"), last.trainLoss(), 0);
    // One signal at the start and one per epoch (the interval is zero here): the history grows
    // with epochs, never with batches.
    long signals =
        env.getWorkflowClient().fetchHistory("progress").getEvents().stream()
            .filter(e -> e.hasWorkflowExecutionSignaledEventAttributes())
            .count();
    assertEquals(7, signals);
  }

  @Test
  void retryAfterAFailedEpochResumesFromTheLastCheckpointWithIdenticalWeights() throws Exception {
    RunStatus uninterrupted =
        WorkflowStub.fromTyped(start("uninterrupted", plan(6))).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, uninterrupted.state(), uninterrupted.message());

    // Epochs 1-3 are checkpointed; storing epoch 4's checkpoint fails once (a full disk).
    store.failCheckpoint(4);
    RunStatus retried =
        WorkflowStub.fromTyped(start("retried", plan(6))).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, retried.state(), retried.message());
    StepStatus train = retried.step("train");
    assertTrue(train.message().endsWith("(resumed after epoch 3)"), train.message());
    assertEquals(2, train.progress().attempt());
    // The second attempt's first report (sent before it trained anything) stood at epoch 3.
    List<Integer> attempt2 = store.checkpointEpochsAfterFailure();
    assertEquals(List.of(4, 5, 6), attempt2, "the retry trained epochs 4-6 only");

    Map<String, byte[]> expected = weights(uninterrupted);
    Map<String, byte[]> actual = weights(retried);
    assertEquals(expected.keySet(), actual.keySet());
    for (String parameter : expected.keySet()) {
      assertArrayEquals(expected.get(parameter), actual.get(parameter), parameter);
    }
    assertEquals(
        uninterrupted.step("train").metrics(), train.metrics(), "same losses after resuming");
  }

  @Test
  void cancellingTheRunStopsTrainingAndKeepsTheLastCheckpoint() throws Exception {
    // A short heartbeat timeout, so that the SDK sends heartbeats (and learns of the
    // cancellation) every 0.8 x 5 s instead of every 96 s.
    PipelineWorkflow run = start("cancelled", plan(400, Duration.ofSeconds(5)));
    await(run, s -> s.step("train").progress() != null && s.step("train").progress().epoch() >= 2);
    WorkflowStub.fromTyped(run).cancel();
    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () -> WorkflowStub.fromTyped(run).getResult(RunStatus.class));
    assertInstanceOf(CanceledFailure.class, failed.getCause());

    // The attempt notices at its next heartbeat and returns; nothing trains after that.
    awaitTrue(() -> training.get() == 0, Duration.ofSeconds(60), "training stopped");
    int checkpoints = store.checkpoints.size();
    Thread.sleep(1_000);
    assertEquals(checkpoints, store.checkpoints.size(), "no checkpoint written after stopping");
    assertTrue(checkpoints < 400, "stopped after " + checkpoints + " epochs");

    // The last checkpoint is whole: weights load, and its record names its epoch.
    ArtifactRef last = store.checkpoints.get(checkpoints - 1);
    Path dir = store.resolve(last);
    // (Its epoch is the last one stored; on a loaded machine a timed-out attempt and its retry
    // may both have stored some, so it need not equal the number of checkpoints.)
    int lastEpoch = store.epochs.get(store.epochs.size() - 1);
    assertTrue(
        Files.readString(dir.resolve("checkpoint.json")).contains("\"epoch\":" + lastEpoch),
        Files.readString(dir.resolve("checkpoint.json")));
    assertTrue(!TrainTasks.weights(dir).isEmpty());
    String runId = WorkflowStub.fromTyped(run).getExecution().getRunId();
    ExperimentRun experiment =
        activities.metadata().experiments().byRun(runId, "train").orElseThrow();
    assertEquals(ExperimentStatus.CANCELLED, experiment.status());
  }

  // ---- helpers ----

  private ObjectNode plan(int epochs) throws Exception {
    return plan(epochs, null);
  }

  private ObjectNode plan(int epochs, Duration heartbeatTimeout) throws Exception {
    Path train = store.resolve(TestDatasets.regression(store, tmp, "train", 512, 0.1, 1));
    Path validation = store.resolve(TestDatasets.regression(store, tmp, "validation", 128, 0.1, 2));
    Pipeline p = Pipeline.named("training-run");
    var data = p.ingest("ingest").parquet(Values.of(train.toString())).dataset();
    var held = p.ingest("ingest-validation").parquet(Values.of(validation.toString())).dataset();
    var step = p.train("train", data);
    step.validation(held)
        .label("y")
        .regression()
        .hiddenLayers(16)
        .epochs(epochs)
        .batchSize(16)
        .learningRate(0.005)
        .seed(11);
    if (heartbeatTimeout != null) {
      step.heartbeatTimeout(heartbeatTimeout);
    }
    ObjectNode input = PlanJson.strict().createObjectNode();
    input.set("plan", PlanJson.strict().valueToTree(p.compile()));
    return input;
  }

  private PipelineWorkflow start(String id, ObjectNode input) {
    PipelineWorkflow run =
        env.getWorkflowClient()
            .newWorkflowStub(
                PipelineWorkflow.class,
                WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(run::run, input);
    return run;
  }

  private static StepStatus await(
      PipelineWorkflow run, java.util.function.Predicate<RunStatus> until)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      RunStatus status = run.status();
      if (status.step("train") != null && until.test(status)) {
        return status.step("train");
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the status never showed the progress awaited: " + run.status());
  }

  private static void awaitTrue(BooleanSupplier condition, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(50);
    }
  }

  private Map<String, byte[]> weights(RunStatus status) throws Exception {
    return TrainTasks.weights(store.resolve(status.step("train").artifacts().get("model")));
  }

  /**
   * The real store, with a hook before each checkpoint is stored: fail it once, or block until the
   * test releases it.
   */
  private static final class FaultyStore implements ArtifactStore {
    private final ArtifactStore store;
    final List<ArtifactRef> checkpoints = new CopyOnWriteArrayList<>();
    final List<Integer> epochs = new CopyOnWriteArrayList<>();
    final CountDownLatch blocked = new CountDownLatch(1);
    private volatile int failAt;
    private volatile int failedAt = -1;
    private volatile int blockAt;
    private volatile CountDownLatch release;

    FaultyStore(ArtifactStore store) {
      this.store = store;
    }

    CountDownLatch blockBeforeCheckpoint(int epoch) {
      blockAt = epoch;
      release = new CountDownLatch(1);
      return release;
    }

    void failCheckpoint(int epoch) {
      failAt = epoch;
      epochs.clear();
    }

    List<Integer> checkpointEpochsAfterFailure() {
      int from = epochs.indexOf(failedAt);
      return List.copyOf(epochs.subList(from + 1, epochs.size()));
    }

    @Override
    public ArtifactRef put(Path source, ValueType type, String format) {
      if ("djl-checkpoint".equals(format)) {
        int epoch = epochOf(source);
        epochs.add(epoch);
        if (epoch == blockAt && release != null) {
          blocked.countDown();
          try {
            release.await(2, TimeUnit.MINUTES);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        if (epoch == failAt && failedAt < 0) {
          failedAt = epoch;
          throw new IllegalStateException(
              "No space left on device (injected at epoch " + epoch + ")");
        }
        ArtifactRef ref = store.put(source, type, format);
        checkpoints.add(ref);
        return ref;
      }
      return store.put(source, type, format);
    }

    private static int epochOf(Path checkpoint) {
      try {
        String json = Files.readString(checkpoint.resolve("checkpoint.json"));
        int at = json.indexOf("\"epoch\":") + "\"epoch\":".length();
        int end = at;
        while (Character.isDigit(json.charAt(end))) {
          end++;
        }
        return Integer.parseInt(json.substring(at, end));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public Path resolve(ArtifactRef ref) {
      return store.resolve(ref);
    }

    @Override
    public Path scratch(String prefix) {
      return store.scratch(prefix);
    }
  }
}
