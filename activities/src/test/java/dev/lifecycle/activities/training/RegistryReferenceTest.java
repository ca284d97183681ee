package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelRegistry;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code registry:<name>/<version|latest|alias>} references resolve to the registered version's
 * model in an H2 registry, unknown ones fail with {@code INVALID_PLAN} listing what exists, and a
 * train step fine-tunes the resolved version and records it as its base model.
 */
class RegistryReferenceTest {
  @TempDir static Path tmp;
  private static LocalArtifactStore store;
  private static MetadataStore metadata;
  private static ModelRegistry registry;
  private static ArtifactRef images;
  private static ArtifactRef first;
  private static ArtifactRef second;
  private static final List<TestActivityEnvironment> environments = new ArrayList<>();

  @BeforeAll
  static void registerTwoVersions() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    metadata = MetadataStore.open(LifecycleSettings.of(tmp.resolve("home"), null, null, null));
    registry = metadata.models();
    images = TestImages.bars(store, tmp, "train", 160, 4, 1, false);
    Train cnn = TrainTasks.classifier("base", false, 3).withArchitecture(Architecture.CNN);
    first = train(TrainTasks.task(cnn, images, null, null, 1, 32, 0.001));
    second = train(TrainTasks.task(cnn, images, null, null, 2, 32, 0.001));
    register(first, "run-1");
    register(second, "run-2");
    registry.setAlias("fashion-base", "production", 1);
  }

  @AfterAll
  static void close() {
    environments.forEach(TestActivityEnvironment::close);
    metadata.close();
  }

  private static ArtifactRef train(dev.lifecycle.workflows.activities.StepTask task) {
    return stub().train(task).artifacts().get("model");
  }

  private static void register(ArtifactRef model, String runId) {
    registry.register(
        new NewModelVersion(
            "fashion-base", model, Map.of(), null, null, Map.of(), "wf", runId, "register"));
  }

  private static TrainingActivities stub() {
    TestActivityEnvironment env = TestModels.environment();
    environments.add(env);
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store, metadata));
    return env.newActivityStub(TrainingActivities.class, TestModels.options());
  }

  private static String sha256(String location) {
    return RegistryReference.parse(location, "tune").resolve(registry, "tune").artifactSha256();
  }

  @Test
  void resolvesLatestAVersionNumberAndAnAlias() {
    assertEquals(second.sha256(), sha256("registry:fashion-base/latest"));
    assertEquals(first.sha256(), sha256("registry:fashion-base/1"));
    assertEquals(second.sha256(), sha256("registry:fashion-base/2"));
    assertEquals(first.sha256(), sha256("registry:fashion-base/production"));
  }

  @Test
  void rejectsAnUnknownModelListingTheRegisteredOnes() {
    ApplicationFailure failure =
        assertThrows(ApplicationFailure.class, () -> sha256("registry:fashion-bsae/latest"));
    assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
    String message = failure.getOriginalMessage();
    assertTrue(message.contains("Step 'tune'"), message);
    assertTrue(message.contains("'fashion-bsae'"), message);
    assertTrue(message.contains("[fashion-base]"), message);
  }

  @Test
  void rejectsAnUnknownVersionOrAliasListingTheVersions() {
    for (String location : List.of("registry:fashion-base/7", "registry:fashion-base/staging")) {
      ApplicationFailure failure = assertThrows(ApplicationFailure.class, () -> sha256(location));
      assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
      assertTrue(failure.getOriginalMessage().contains("[1, 2]"), failure.getOriginalMessage());
    }
  }

  @Test
  void rejectsAReferenceWithoutNameAndVersion() {
    for (String location :
        List.of("registry:fashion-base", "registry:/1", "registry:fashion-base/")) {
      ApplicationFailure failure =
          assertThrows(ApplicationFailure.class, () -> RegistryReference.parse(location, "tune"));
      assertEquals(FailureTypes.INVALID_PLAN, failure.getType());
      assertTrue(failure.getOriginalMessage().contains(location), failure.getOriginalMessage());
    }
  }

  @Test
  void finetunesTheResolvedVersionAndRecordsItAsTheBaseModel() throws Exception {
    Train tune =
        TrainTasks.classifier("tune", false, 5)
            .withPretrained(
                new Literal("registry:fashion-base/production"),
                new FineTune(List.of("features"), true, null));
    StepResult result =
        stub()
            .train(
                TrainTasks.task(
                    tune, images, null, "registry:fashion-base/production", 1, 32, 0.001));
    Path tuned = store.resolve(result.artifacts().get("model"));
    ModelMetadata tunedMetadata = ModelBundle.readMetadata(tuned);
    assertTrue(
        tunedMetadata.baseModel().contains("'fashion-base' version 1"), tunedMetadata.baseModel());
    assertTrue(tunedMetadata.baseModel().contains(first.sha256()), tunedMetadata.baseModel());
    TrainTasks.assertFrozenAndMoved(
        TrainTasks.weights(store.resolve(first)),
        TrainTasks.weights(tuned),
        "features",
        List.of("head"));
  }

  @Test
  void failsARegistryReferenceWithoutAMetadataStore() {
    TestActivityEnvironment env = TestModels.environment();
    environments.add(env);
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
    TrainingActivities withoutRegistry =
        env.newActivityStub(TrainingActivities.class, TestModels.options());
    Train tune =
        TrainTasks.classifier("tune", false, 5)
            .withPretrained(new Literal("registry:fashion-base/latest"), null);
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                withoutRegistry.train(
                    TrainTasks.task(
                        tune, images, null, "registry:fashion-base/latest", 1, 32, 0.001)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_PLAN, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("metadata store"), cause.getOriginalMessage());
  }
}
