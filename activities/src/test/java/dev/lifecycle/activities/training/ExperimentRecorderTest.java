package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentRun;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training records its runs as experiments through {@link ExperimentRecorder}. */
class ExperimentRecorderTest {
  private static final int EPOCHS = 3;

  @TempDir Path tmp;
  private LocalArtifactStore artifacts;
  private TestDatabase.Instance db;
  private MetadataStore metadata;
  private final List<TestActivityEnvironment> environments = new ArrayList<>();

  @BeforeEach
  void setUp() {
    artifacts = new LocalArtifactStore(tmp.resolve("artifacts"));
    db = TestDatabase.H2.create(tmp);
    metadata = db.open();
  }

  @AfterEach
  void tearDown() {
    environments.forEach(TestActivityEnvironment::close);
    metadata.close();
    db.close();
  }

  private TrainingActivities activities(List<TrainingProgress> heartbeats) {
    return activities(
        heartbeats, TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL, Duration.ofMinutes(1));
  }

  private TrainingActivities activities(
      List<TrainingProgress> heartbeats, Duration heartbeatInterval, Duration heartbeatTimeout) {
    TestActivityEnvironment env =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    environments.add(env);
    env.registerActivitiesImplementations(
        new TrainingActivitiesImpl(artifacts, metadata, heartbeatInterval));
    env.setActivityHeartbeatListener(TrainingProgress.class, heartbeats::add);
    return env.newActivityStub(
        TrainingActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setHeartbeatTimeout(heartbeatTimeout)
            .build());
  }

  private TestActivityEnvironment last() {
    return environments.get(environments.size() - 1);
  }

  private StepTask regressionTask(String label) throws Exception {
    ArtifactRef train = TestDatasets.regression(artifacts, tmp, "train", 96, 0.1, 1);
    ArtifactRef validation = TestDatasets.regression(artifacts, tmp, "validation", 32, 0.1, 2);
    return TrainingActivitiesImplTest.task(
        TrainingActivitiesImplTest.step(Task.REGRESSION, label, List.of(8), true, 5),
        Map.of("train", train, "validation", validation),
        EPOCHS,
        16,
        0.01);
  }

  @Test
  void recordsTheRunItsEpochsAndItsResult() throws Exception {
    StepTask task = regressionTask("y");
    List<TrainingProgress> heartbeats = new ArrayList<>();
    StepResult result = activities(heartbeats).train(task);

    ExperimentStore experiments = metadata.experiments();
    ExperimentRun run = experiments.byRun("run-1", "train").orElseThrow();
    assertEquals(ExperimentStatus.SUCCEEDED, run.status());
    assertEquals("test", run.pipeline());
    assertEquals("wf-1", run.workflowId());
    assertEquals(EPOCHS, run.hyperparameters().get("epochs"));
    assertEquals(16, run.hyperparameters().get("batchSize"));
    assertEquals(0.01, run.hyperparameters().get("learningRate"));
    assertEquals(List.of(8), run.hyperparameters().get("hiddenLayers"));
    assertEquals(task.artifact("train").sha256(), run.trainSha256());
    assertEquals(task.artifact("validation").sha256(), run.validationSha256());
    assertEquals(result.metrics(), run.finalMetrics());
    assertEquals(result.artifacts().get("model").uri(), run.modelUri());
    assertNotNull(run.durationMillis());

    List<EpochMetrics> epochs = experiments.epochs(run.id());
    assertEquals(List.of(1, 2, 3), epochs.stream().map(EpochMetrics::epoch).toList());
    for (int i = 1; i < epochs.size(); i++) {
      assertTrue(
          epochs.get(i).elapsedMillis() >= epochs.get(i - 1).elapsedMillis(), epochs.toString());
    }
    // Without early stopping the model is the last epoch's.
    assertEquals(result.metrics().get("train_loss"), epochs.get(2).trainLoss());
    assertEquals(result.metrics().get("validation_loss"), epochs.get(2).validationLoss());
    assertTrue(epochs.get(0).trainLoss() > epochs.get(2).trainLoss(), epochs.toString());
    assertNotNull(run.checkpointUri());
    assertNotEquals(run.modelUri(), run.checkpointUri());
  }

  @Test
  void resumedAttemptUpdatesTheSameRunWithoutDuplicatingEpochs() throws Exception {
    StepTask task = regressionTask("y");
    List<TrainingProgress> heartbeats = new ArrayList<>();
    activities(heartbeats).train(task);
    ExperimentRun first = metadata.experiments().byRun("run-1", "train").orElseThrow();
    TrainingProgress afterEpochOne = progressAfterEpochOne();

    // A retry of the same step whose last heartbeat was epoch 1's checkpoint.
    List<TrainingProgress> retried = new ArrayList<>();
    TrainingActivities retry = activities(retried);
    last().setHeartbeatDetails(afterEpochOne);
    StepResult resumed = retry.train(task);

    assertTrue(resumed.summary().endsWith("(resumed after epoch 1)"), resumed.summary());
    List<ExperimentRun> runs = metadata.experiments().list(null, null, 10);
    assertEquals(1, runs.size(), runs.toString());
    ExperimentRun run = runs.get(0);
    assertEquals(first.id(), run.id());
    assertEquals(first.startedAt(), run.startedAt());
    assertEquals(ExperimentStatus.SUCCEEDED, run.status());
    assertEquals(resumed.metrics(), run.finalMetrics());
    assertEquals(
        List.of(1, 2, 3),
        metadata.experiments().epochs(run.id()).stream().map(EpochMetrics::epoch).toList());
  }

  /** What the heartbeat after epoch 1 carried, rebuilt from the checkpoint in the store. */
  private TrainingProgress progressAfterEpochOne() throws Exception {
    List<Path> checkpoints;
    try (Stream<Path> walk = Files.walk(artifacts.root().resolve("sha256"))) {
      checkpoints =
          walk.filter(p -> p.getFileName().toString().equals("checkpoint.json"))
              .filter(p -> readString(p).contains("\"epoch\":1,"))
              .map(Path::getParent)
              .toList();
    }
    assertEquals(1, checkpoints.size(), checkpoints.toString());
    ArtifactRef checkpoint = artifacts.put(checkpoints.get(0), ValueType.MODEL, "djl-checkpoint");
    return new TrainingProgress(1, EPOCHS, 0, 6, checkpoint, null, null, 0);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void recordsAFailedRunWithTheReason() throws Exception {
    StepTask task = regressionTask("no_such_column");

    assertThrows(ActivityFailure.class, () -> activities(new ArrayList<>()).train(task));

    ExperimentRun run = metadata.experiments().byRun("run-1", "train").orElseThrow();
    assertEquals(ExperimentStatus.FAILED, run.status());
    assertTrue(run.error().contains("no_such_column"), run.error());
    assertNotNull(run.endedAt());
    assertEquals(List.of(), metadata.experiments().epochs(run.id()));
  }

  @Test
  void recordsACancelledRun() throws Exception {
    ArtifactRef train = TestDatasets.regression(artifacts, tmp, "train", 1024, 0.1, 1);
    StepTask task =
        TrainingActivitiesImplTest.task(
            TrainingActivitiesImplTest.step(Task.REGRESSION, "y", List.of(16), false, 5),
            Map.of("train", train),
            50,
            16,
            0.01);
    List<TrainingProgress> heartbeats = new ArrayList<>();
    TrainingActivities training =
        activities(heartbeats, Duration.ofMillis(100), Duration.ofSeconds(1));
    TestActivityEnvironment env = last();
    env.setActivityHeartbeatListener(
        TrainingProgress.class,
        p -> {
          if (p.epoch() >= 1) {
            env.requestCancelActivity();
          }
        });

    assertThrows(CanceledFailure.class, () -> training.train(task));

    // The attempt notices the cancellation at its next heartbeat and records it on the way out.
    ExperimentRun run = null;
    for (int i = 0; i < 100; i++) {
      run = metadata.experiments().byRun("run-1", "train").orElseThrow();
      if (run.status() != ExperimentStatus.RUNNING) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(ExperimentStatus.CANCELLED, run.status());
    assertNotNull(run.endedAt());
    int recorded = metadata.experiments().epochs(run.id()).size();
    assertTrue(recorded >= 1 && recorded < 50, "epochs recorded: " + recorded);
  }

  @Test
  void trainsOnWhenTheExperimentStoreFails() throws Exception {
    StepTask task = regressionTask("y");
    TrainingActivities training = activities(new ArrayList<>());
    // Every write to the store now fails: its connection pool is gone.
    metadata.close();

    StepResult result = training.train(task);

    assertEquals(EPOCHS, result.values().get("epochs"));
    assertNotNull(result.artifacts().get("model"));
  }
}
