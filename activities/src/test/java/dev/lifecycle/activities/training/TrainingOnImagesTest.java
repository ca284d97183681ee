package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.EvaluationActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training the CNN on an image dataset, and scoring the model with the evaluation activity. */
class TrainingOnImagesTest {
  @TempDir Path tmp;
  private LocalArtifactStore store;
  private TestActivityEnvironment env;

  @BeforeEach
  void setUp() {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    env = TestModels.environment();
    env.registerActivitiesImplementations(
        new TrainingActivitiesImpl(store), new EvaluationActivitiesImpl(store));
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  @Test
  void trainsTheCnnOnImagesAndEvaluatesIt() throws Exception {
    ArtifactRef train = TestImages.bars(store, tmp, "train", 300, 4, 21, false);
    ArtifactRef validation = TestImages.bars(store, tmp, "validation", 80, 4, 22, false);
    ArtifactRef test = TestImages.bars(store, tmp, "test", 120, 4, 23, false);
    // No architecture: an image dataset gets the CNN.
    Train step = TrainTasks.classifier("train", true, 7);
    StepResult trained =
        env.newActivityStub(TrainingActivities.class, TestModels.options())
            .train(TrainTasks.task(step, train, validation, null, 3, 32, 0.002));
    ArtifactRef model = trained.artifacts().get("model");
    ModelMetadata metadata = ModelBundle.readMetadata(store.resolve(model));
    assertEquals("cnn", metadata.architecture());
    assertEquals(List.of("image"), metadata.featureColumns());
    assertEquals(List.of(1, 28, 28), metadata.inputShape());
    assertEquals(List.of("0", "1", "2", "3"), metadata.classes());
    // Chance is ln 4 = 1.39; the bars are easy.
    assertTrue(trained.metrics().get("validation_loss") < 0.7, trained.summary());

    Evaluate evaluate =
        new Evaluate(
            "evaluate",
            new OutputRef("train", "model"),
            new OutputRef("features", "test"),
            "label",
            Task.CLASSIFICATION,
            null,
            null);
    StepResult scored =
        env.newActivityStub(EvaluationActivities.class, TestModels.options())
            .evaluate(
                new StepTask(
                    new RunInfo("wf-1", "run-1", "test", "plan", Map.of()),
                    evaluate,
                    Map.of("model", model, "dataset", test),
                    Map.of()));
    double accuracy = scored.metrics().get("accuracy");
    assertTrue(accuracy > 0.8, "accuracy " + accuracy + ": " + scored.summary());
  }

  @Test
  void rejectsTheCnnOnTabularData() throws Exception {
    ArtifactRef tabular =
        TestDatasets.fromSql(
            store, tmp, "tabular", "SELECT range * 1.0 AS x, range % 2 AS label FROM range(20)");
    Train step = TrainTasks.classifier("train", false, 7).withArchitecture(Architecture.CNN);
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                env.newActivityStub(TrainingActivities.class, TestModels.options())
                    .train(TrainTasks.task(step, tabular, null, null, 1, 8, 0.01)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_PLAN, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("'image'"), cause.getOriginalMessage());
  }

  @Test
  void rejectsImagesWhoseBytesDoNotMatchTheirSize() throws Exception {
    ArtifactRef broken =
        TestDatasets.fromSql(
            store,
            tmp,
            "broken",
            "SELECT CAST(repeat('a', 10) AS BLOB) AS image, 4 AS height, 4 AS width, range % 2 AS label"
                + " FROM range(4)");
    Train step = TrainTasks.classifier("train", false, 7);
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                env.newActivityStub(TrainingActivities.class, TestModels.options())
                    .train(TrainTasks.task(step, broken, null, null, 1, 8, 0.01)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_DATA, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("16 bytes"), cause.getOriginalMessage());
  }
}
