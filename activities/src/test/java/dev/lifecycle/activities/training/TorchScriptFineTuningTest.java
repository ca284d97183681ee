package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.store.LocalArtifactStore;
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
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fine-tuning the committed TorchScript fixture ({@code training/small_cnn.pt}, written by {@code
 * make_torchscript_fixture.py} with torch 1.13): DJL reproduces torch's outputs, and frozen
 * parameters stay bit-identical while the others train.
 */
class TorchScriptFineTuningTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private LocalArtifactStore store;
  private Path fixture;
  private final List<TestActivityEnvironment> environments = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    fixture = tmp.resolve("small_cnn.pt");
    try (InputStream in = resource("small_cnn.pt")) {
      Files.copy(in, fixture);
    }
  }

  @AfterEach
  void tearDown() {
    environments.forEach(TestActivityEnvironment::close);
  }

  private static InputStream resource(String name) {
    InputStream in = TorchScriptFineTuningTest.class.getResourceAsStream("/training/" + name);
    if (in == null) {
      throw new IllegalStateException("Test resource training/" + name + " is missing");
    }
    return in;
  }

  private TrainingActivities stub() {
    TestActivityEnvironment env = TestModels.environment();
    environments.add(env);
    env.registerActivitiesImplementations(new TrainingActivitiesImpl(store));
    return env.newActivityStub(TrainingActivities.class, TestModels.options());
  }

  @Test
  void loadsTrainableAndMatchesTorchOutputs() throws Exception {
    JsonNode expected;
    try (InputStream in = resource("small_cnn.expected.json")) {
      expected = JSON.readTree(in);
    }
    float[] input = floats(expected.get("input"));
    float[] output = floats(expected.get("output"));
    try (Network network = Network.torchScript(fixture, List.of(1, 28, 28), true);
        NDManager manager = network.model().getNDManager().newSubManager()) {
      assertEquals(
          JSON.convertValue(expected.get("parameters"), List.class),
          new ArrayList<>(network.parameters().keySet()));
      // trainParam=true: every parameter takes gradients.
      network.parameters().values().forEach(p -> assertTrue(p.requiresGradient(), p.getName()));
      NDArray x = manager.create(input, network.batchShape(3));
      float[] actual =
          network
              .block()
              .forward(new ParameterStore(manager, false), new NDList(x), false)
              .singletonOrThrow()
              .toFloatArray();
      assertEquals(output.length, actual.length);
      double worst = 0;
      for (int i = 0; i < output.length; i++) {
        worst = Math.max(worst, Math.abs(actual[i] - output[i]));
      }
      assertTrue(worst <= 1e-6, "largest difference from torch: " + worst);
    }
  }

  private static float[] floats(JsonNode array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) array.get(i).asDouble();
    }
    return values;
  }

  @Test
  void keepsFrozenFeaturesBitIdenticalAndTrainsTheHead() throws Exception {
    ArtifactRef train = TestImages.bars(store, tmp, "train", 200, 10, 11, true);
    ArtifactRef validation = TestImages.bars(store, tmp, "validation", 60, 10, 12, true);
    Train step =
        TrainTasks.classifier("tune", true, 9)
            .withPretrained(
                new Literal(fixture.toUri().toString()),
                new FineTune(List.of("features"), false, Map.of("head", 0.005)));
    StepResult result =
        stub()
            .train(
                TrainTasks.task(step, train, validation, fixture.toUri().toString(), 2, 32, 0.001));
    Path tuned = store.resolve(result.artifacts().get("model"));
    assertTrue(Files.isRegularFile(tuned.resolve(ModelBundle.TORCHSCRIPT_FILE)));
    TrainTasks.assertFrozenAndMoved(
        TrainTasks.torchScriptWeights(fixture),
        TrainTasks.torchScriptWeights(tuned.resolve(ModelBundle.TORCHSCRIPT_FILE)),
        "features",
        List.of());

    ModelMetadata metadata = ModelBundle.readMetadata(tuned);
    assertEquals("torchscript", metadata.architecture());
    assertEquals(2, metadata.formatVersion());
    assertEquals(
        List.of("features.0.bias", "features.0.weight", "features.3.bias", "features.3.weight"),
        metadata.frozen().stream().sorted().toList());
    try (ModelBundle model = ModelBundle.load(tuned);
        ParquetDataset data = ParquetDataset.open(store.resolve(validation), "validation")) {
      float[][] p = model.predictProbabilities(data.readFloats(List.of("image")));
      double sum = 0;
      for (float v : p[0]) {
        sum += v;
      }
      assertEquals(10, p[0].length);
      assertEquals(1.0, sum, 1e-5);
    }
  }

  @Test
  void rejectsANewHeadForATorchScriptModule() throws Exception {
    ArtifactRef train = TestImages.bars(store, tmp, "train", 20, 10, 11, false);
    Train step =
        TrainTasks.classifier("tune", false, 9)
            .withPretrained(new Literal(fixture.toString()), new FineTune(null, true, null));
    ActivityFailure failure =
        assertThrows(
            ActivityFailure.class,
            () ->
                stub().train(TrainTasks.task(step, train, null, fixture.toString(), 1, 8, 0.001)));
    ApplicationFailure cause = (ApplicationFailure) failure.getCause();
    assertEquals(FailureTypes.INVALID_PLAN, cause.getType());
    assertTrue(cause.getOriginalMessage().contains("Step 'tune'"), cause.getOriginalMessage());
    assertTrue(cause.getOriginalMessage().contains("newHead"), cause.getOriginalMessage());
  }
}
