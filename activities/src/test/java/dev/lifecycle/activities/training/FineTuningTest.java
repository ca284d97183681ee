package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning a Lifecycle model (a CNN trained by an earlier step): frozen parameters stay
 * bit-identical, the others train, a new head learns new classes, unknown names fail the step, and
 * a fine-tuning run resumes exactly.
 */
class FineTuningTest {
  @TempDir static Path tmp;
  private static LocalArtifactStore store;
  private static ArtifactRef images;
  private static ArtifactRef validation;
  private static ArtifactRef base;
  private static final List<TestActivityEnvironment> environments = new ArrayList<>();

  @BeforeAll
  static void trainBaseModel() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    images = TestImages.bars(store, tmp, "train", 240, 4, 1, false);
    validation = TestImages.bars(store, tmp, "validation", 80, 4, 2, false);
    Train cnn = TrainTasks.classifier("base", false, 3).withArchitecture(Architecture.CNN);
    base =
        stub()
            .train(TrainTasks.task(cnn, images, null, null, 1, 32, 0.001))
            .artifacts()
            .get("model");
  }

  @AfterAll
  static void closeEnvironments() {
    environments.forEach(TestActivityEnvironment::close);
  }

  private static TrainingActivities stub() {
    return stub(TestModels.environment(), TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL);
  }

  private static TrainingActivities stub(TestActivityEnvironment env, Duration heartbeatInterval) {
    environments.add(env);
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store, heartbeatInterval));
    return env.newActivityStub(TrainingActivities.class, TestModels.options());
  }

  private static Train fineTune(FineTune fineTune) {
    return TrainTasks.classifier("tune", true, 5)
        .withPretrained(new OutputRef("base", "model"), fineTune);
  }

  @Test
  void keepsFrozenBlocksBitIdenticalAndTrainsTheRest() throws Exception {
    StepResult result =
        stub()
            .train(
                TrainTasks.task(
                    fineTune(new FineTune(List.of("features"), false, null)),
                    images,
                    validation,
                    base,
                    2,
                    32,
                    0.001));
    Path tuned = store.resolve(result.artifacts().get("model"));
    TrainTasks.assertFrozenAndMoved(
        TrainTasks.weights(store.resolve(base)), TrainTasks.weights(tuned), "features", List.of());

    ModelMetadata metadata = ModelBundle.readMetadata(tuned);
    assertEquals("cnn", metadata.architecture());
    assertEquals(List.of(1, 28, 28), metadata.inputShape());
    assertEquals(
        List.of(
            "features.conv1.bias",
            "features.conv1.weight",
            "features.conv2.bias",
            "features.conv2.weight"),
        metadata.frozen().stream().sorted().toList());
    assertTrue(metadata.baseModel().contains(base.sha256()), metadata.baseModel());
    assertEquals(List.of("0", "1", "2", "3"), metadata.classes());
  }

  @Test
  void givesANewHeadForNewClassesAndRecordsThem() throws Exception {
    // The same images with two of the four classes: the base's head has four outputs.
    ArtifactRef twoClasses =
        TestDatasets.fromSql(
            store,
            tmp,
            "two-classes",
            "SELECT image, height, width, CASE WHEN label < 2 THEN 'low' ELSE 'high' END AS label"
                + " FROM read_parquet('"
                + store.resolve(images)
                + "')");
    StepResult result =
        stub()
            .train(
                TrainTasks.task(
                    TrainTasks.classifier("tune", false, 5)
                        .withPretrained(
                            new OutputRef("base", "model"),
                            new FineTune(List.of("features.*"), true, Map.of("head", 0.01))),
                    twoClasses,
                    null,
                    base,
                    1,
                    32,
                    0.0001));
    Path tuned = store.resolve(result.artifacts().get("model"));
    ModelMetadata metadata = ModelBundle.readMetadata(tuned);
    assertEquals(List.of("high", "low"), metadata.classes());
    assertEquals(List.of("0", "1", "2", "3"), metadata.baseClasses());
    var before = TrainTasks.weights(store.resolve(base));
    var after = TrainTasks.weights(tuned);
    TrainTasks.assertFrozenAndMoved(before, after, "features", List.of("head"));
    // The new head: 2 classes × 128 inputs, as float32.
    assertEquals(2 * 128 * Float.BYTES, after.get("head.weight").length);

    try (ModelBundle model = ModelBundle.load(tuned);
        ParquetDataset data = ParquetDataset.open(store.resolve(twoClasses), "two classes")) {
      float[][] rows = data.readFloats(List.of("image"));
      float[][] p = model.predictProbabilities(rows);
      assertEquals(2, p[0].length);
      assertEquals(1.0, p[0][0] + p[0][1], 1e-5);
    }
  }

  @Test
  void rejectsAnUnknownNameListingTheModelsNames() {
    StepTask task =
        TrainTasks.task(
            fineTune(new FineTune(List.of("features", "convolutions"), false, null)),
            images,
            validation,
            base,
            1,
            32,
            0.001);
    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> stub().train(task));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_PLAN, cause.getType());
    String message = cause.getOriginalMessage();
    assertTrue(message.contains("Step 'tune'"), message);
    assertTrue(message.contains("'convolutions'"), message);
    assertTrue(message.contains("features.conv1.weight"), message);
    assertTrue(message.contains("classifier.dense"), message);
  }

  /**
   * Enough epochs that the cancellation requested after epoch 2 reaches the attempt before it ends:
   * heartbeats are throttled to 0.8 of the 1 s heartbeat timeout, and 4 epochs once ran out within
   * that on a quiet machine.
   */
  private static final int EPOCHS = 12;

  @Test
  void resumesAFineTuningRunToTheSameWeights() throws Exception {
    StepTask task =
        TrainTasks.task(
            fineTune(new FineTune(List.of("features"), false, Map.of("head", 0.002))),
            images,
            validation,
            base,
            EPOCHS,
            32,
            0.001);
    StepResult uninterrupted = stub().train(task);

    TestActivityEnvironment interrupted = TestModels.environment();
    List<TrainingProgress> seen = new ArrayList<>();
    interrupted.setActivityHeartbeatListener(
        TrainingProgress.class,
        p -> {
          seen.add(p);
          if (p.epoch() >= 2) {
            interrupted.requestCancelActivity();
          }
        });
    TrainingActivities first =
        interrupted.newActivityStub(
            TrainingActivities.class,
            io.temporal.activity.ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(10))
                .setHeartbeatTimeout(Duration.ofSeconds(1))
                .build());
    environments.add(interrupted);
    interrupted.registerActivitiesImplementations(
        new TrainingActivitiesImpl(store, Duration.ofMillis(100)));
    assertThrows(CanceledFailure.class, () -> first.train(task));
    TrainingProgress last = seen.get(seen.size() - 1);
    assertTrue(
        last.epoch() >= 2 && last.epoch() < EPOCHS, "interrupted after epoch " + last.epoch());

    TestActivityEnvironment retry = TestModels.environment();
    retry.setHeartbeatDetails(last);
    StepResult resumed = stub(retry, TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL).train(task);
    assertTrue(
        resumed.summary().endsWith("(resumed after epoch " + last.epoch() + ")"),
        resumed.summary());
    assertEquals(
        uninterrupted.artifacts().get("model").sha256(), resumed.artifacts().get("model").sha256());
    assertArrayEquals(
        TrainTasks.weights(store.resolve(uninterrupted.artifacts().get("model")))
            .get("head.weight"),
        TrainTasks.weights(store.resolve(resumed.artifacts().get("model"))).get("head.weight"));
  }
}
