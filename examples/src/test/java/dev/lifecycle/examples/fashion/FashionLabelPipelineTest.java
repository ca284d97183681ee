package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.ParamRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Train;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion-label} compiles to exactly the committed golden plan {@code
 * src/test/resources/golden/fashion-label.plan.json} (data folder {@value #DATA}).
 *
 * <p>After an intended change, rewrite the golden file and review its diff:
 *
 * <pre>
 * mvn -o -pl examples test -Dtest=FashionLabelPipelineTest -Dlifecycle.updateGolden=true
 * </pre>
 */
class FashionLabelPipelineTest {
  private static final String DATA = "/data/fashion-mnist";
  private static final Path GOLDEN = Path.of("src/test/resources/golden/fashion-label.plan.json");

  private final PipelinePlan plan = new FashionLabelPipeline(Path.of(DATA)).define().compile();

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
  void labelsWithTheRegisteredBaseModelAndTrainsOnTheLabeledImages() {
    Label label = (Label) plan.step("label").orElseThrow();
    assertEquals(new Literal("registry:fashion-base/latest"), label.model());
    assertEquals(FashionLabelPipeline.classes(), label.schema().classes());
    assertEquals(List.of("ana", "ben", "chen"), label.annotators());
    assertEquals(2, label.annotatorsPerItem());
    assertEquals(3, label.maxAnnotatorsPerItem());
    assertEquals(100, label.retrainEvery());
    assertTrue(label.instructions().contains("9 Ankle boot"), label.instructions());
    Train train = (Train) plan.step("train").orElseThrow();
    assertEquals(new OutputRef("label", "dataset"), train.train());
    assertEquals(new ParamRef("baseModel"), train.pretrained());
  }

  @Test
  void isFoundByTheServiceLoader() {
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    assertTrue(registry.names().contains("fashion-label"), registry.names()::toString);
    assertEquals(
        FashionLabelPool.images(FashionMnistShift.defaultDirectory(System.getenv())).toString(),
        registry.bind("fashion-label", java.util.Map.of()).parameters().get("pool"));
  }
}
