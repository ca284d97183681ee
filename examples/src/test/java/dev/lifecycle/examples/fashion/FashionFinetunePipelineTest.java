package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.ParamRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.examples.fashion.FashionFinetunePipeline.Start;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion-finetune} compiles to exactly the committed golden plan {@code
 * src/test/resources/golden/fashion-finetune.plan.json} (data folder {@value #DATA}), and its
 * baselines differ from it only in how training starts.
 *
 * <p>After an intended change, rewrite the golden file and review its diff:
 *
 * <pre>
 * mvn -o -pl examples test -Dtest=FashionFinetunePipelineTest -Dlifecycle.updateGolden=true
 * </pre>
 */
class FashionFinetunePipelineTest {
  private static final String DATA = "/data/fashion-mnist";
  private static final Path GOLDEN =
      Path.of("src/test/resources/golden/fashion-finetune.plan.json");

  private final PipelinePlan plan = plan(Start.FROZEN_FEATURES);

  private static PipelinePlan plan(Start start) {
    return new FashionFinetunePipeline(Path.of(DATA), start).define().compile();
  }

  @Test
  void compilesToTheGoldenPlan() throws IOException {
    String actual = PlanJson.write(plan);
    if (Boolean.getBoolean("lifecycle.updateGolden")) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, actual, StandardCharsets.UTF_8);
    }
    assertTrue(
        Files.exists(GOLDEN), GOLDEN + " is missing; create it with -Dlifecycle.updateGolden=true");
    assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), actual);
  }

  @Test
  void roundTripsThroughJson() {
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
  }

  @Test
  void finetunesTheRegisteredBaseWithFrozenFeaturesANewHeadAndEarlyStopping() {
    Train train = (Train) plan.step("train").orElseThrow();
    assertEquals(new ParamRef("baseModel"), train.pretrained());
    assertEquals(List.of("features"), train.fineTune().freeze());
    assertTrue(train.fineTune().newHead());
    assertEquals("validation_loss", train.earlyStopping().metric());
    assertEquals(5, train.earlyStopping().patience());
    assertEquals("fashion-shifted", ((Register) plan.step("register").orElseThrow()).modelName());
    assertEquals(
        Map.of(
            "images",
            DATA + "/shifted-train-500-images-idx3-ubyte.gz",
            "testImages",
            DATA + "/shifted-t10k-images-idx3-ubyte.gz",
            "baseModel",
            "registry:fashion-base/latest",
            "epochs",
            30,
            "learningRate",
            0.001,
            "accuracyThreshold",
            0.7),
        PipelineRegistry.of(new FashionFinetunePipeline(Path.of(DATA), Start.FROZEN_FEATURES))
            .bind("fashion-finetune", Map.of())
            .parameters());
  }

  @Test
  void baselinesChangeOnlyHowTrainingStarts() {
    Train frozen = (Train) plan.step("train").orElseThrow();
    Train all = (Train) plan(Start.ALL_LAYERS).step("train").orElseThrow();
    Train scratch = (Train) plan(Start.SCRATCH).step("train").orElseThrow();
    assertEquals(List.of(), all.fineTune().freeze());
    assertEquals(Map.of("features", 0.0001), all.fineTune().learningRates());
    assertNull(scratch.pretrained());
    assertNull(scratch.fineTune());
    assertEquals(Architecture.CNN, scratch.architecture());
    for (Train other : List.of(all, scratch)) {
      assertEquals(frozen.earlyStopping(), other.earlyStopping());
      assertEquals(frozen.seed(), other.seed());
      assertEquals(frozen.inputs().get("epochs"), other.inputs().get("epochs"));
      assertEquals(frozen.inputs().get("batchSize"), other.inputs().get("batchSize"));
      assertEquals(frozen.inputs().get("train"), other.inputs().get("train"));
    }
    assertEquals(
        plan.steps().stream().map(s -> s.name()).toList(),
        plan(Start.SCRATCH).steps().stream().map(s -> s.name()).toList());
  }

  @Test
  void isFoundByTheServiceLoader() {
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    assertTrue(registry.names().contains("fashion-finetune"), registry.names()::toString);
    assertEquals(
        FashionMnistShift.shiftedTrainSubset(
                FashionMnistShift.defaultDirectory(System.getenv()), 500)
            .toString(),
        registry.bind("fashion-finetune", Map.of()).parameters().get("images"));
  }
}
