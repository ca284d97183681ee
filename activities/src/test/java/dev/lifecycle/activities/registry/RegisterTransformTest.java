package dev.lifecycle.activities.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.data.FeatureTransformFixtures;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The register step packages the fitted feature transform with the version, checked. */
class RegisterTransformTest {
  @TempDir static Path shared;
  static LocalArtifactStore artifacts;
  static FeatureTransformFixtures.Abalone abalone;

  @TempDir Path home;
  MetadataStore metadata;
  RegistryActivitiesImpl registry;

  @BeforeAll
  static void train() throws Exception {
    artifacts = new LocalArtifactStore(shared.resolve("artifacts"));
    abalone =
        FeatureTransformFixtures.abalone(
            artifacts, shared, Path.of("src/test/resources/data/abalone.csv"), 200);
  }

  @BeforeEach
  void open() {
    metadata = MetadataStore.open(LifecycleSettings.of(home, null, null, null));
    registry = new RegistryActivitiesImpl(metadata, artifacts);
  }

  @AfterEach
  void close() {
    metadata.close();
  }

  private static StepTask task(String run, ArtifactRef transform) {
    Register step =
        new Register(
            "register",
            "abalone-age",
            new OutputRef("train", "model"),
            null,
            Map.of(),
            null,
            null,
            new OutputRef("features", "transform"));
    return new StepTask(
        new RunInfo("wf-" + run, run, "abalone", "planhash", Map.of()),
        step,
        Map.of("model", abalone.model(), "transform", transform),
        Map.of());
  }

  @Test
  void recordsTheTransformWithTheVersion() {
    registry.register(task("run-1", abalone.fitted().transformRef()));

    ModelVersion v = metadata.models().get("abalone-age", 1).orElseThrow();
    assertEquals(abalone.fitted().transformRef(), v.transform().orElseThrow());
    assertEquals(abalone.model(), v.artifact());
  }

  @Test
  void refusesATransformThatDoesNotComputeTheModelsFeatures() throws Exception {
    FeatureTransform t = abalone.fitted().transform();
    FeatureTransform other =
        new FeatureTransform(
            FeatureTransform.FORMAT_VERSION,
            t.label(),
            t.labelType(),
            t.inputColumns(),
            t.categories(),
            t.scaling(),
            t.features().subList(3, t.features().size()));
    Path file = Files.writeString(shared.resolve("other-transform.json"), other.toJson());
    ArtifactRef ref = artifacts.put(file, ValueType.TRANSFORM, "json");

    ApplicationFailure e =
        assertThrows(ApplicationFailure.class, () -> registry.register(task("run-2", ref)));

    assertEquals(FailureTypes.INVALID_PLAN, e.getType());
    assertTrue(e.getOriginalMessage().contains("Step 'register'"), e.getOriginalMessage());
    assertTrue(e.getOriginalMessage().contains("features.transform"), e.getOriginalMessage());
    assertTrue(metadata.models().list("abalone-age").isEmpty());
  }
}
