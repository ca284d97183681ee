package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.BoundPlan;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.Ingest;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Train;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion-pretrain} compiles to exactly the committed golden plan {@code
 * src/test/resources/golden/fashion-pretrain.plan.json} (data folder {@value #DATA}).
 *
 * <p>After an intended change, rewrite the golden file and review its diff:
 *
 * <pre>
 * mvn -o -pl examples test -Dtest=FashionPretrainPipelineTest -Dlifecycle.updateGolden=true
 * </pre>
 */
class FashionPretrainPipelineTest {
  private static final String DATA = "/data/fashion-mnist";
  private static final Path GOLDEN =
      Path.of("src/test/resources/golden/fashion-pretrain.plan.json");

  private final PipelinePlan plan = new FashionPretrainPipeline(Path.of(DATA)).define().compile();

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
  void trainsTheCnnFromScratchAndRegistersTheBaseModelAfterTheAccuracyCheck() {
    Train train = (Train) plan.step("train").orElseThrow();
    assertEquals(Architecture.CNN, train.architecture());
    assertEquals(null, train.pretrained());
    Register register = (Register) plan.step("register").orElseThrow();
    assertEquals("fashion-base", register.modelName());
    PlanGraph graph = PlanGraph.of(plan);
    assertEquals(
        List.of(
            "ingest",
            "ingest-test",
            "split",
            "train",
            "evaluate",
            "accuracy-ok",
            "register",
            "accuracy-too-low"),
        graph.topologicalOrder());
  }

  @Test
  void readsThePreparedFilesOfTheDataFolderByDefault() {
    assertEquals(
        Map.of(
            "images",
            DATA + "/pretrain-images-idx3-ubyte.gz",
            "testImages",
            DATA + "/t10k-images-idx3-ubyte.gz",
            "epochs",
            3,
            "learningRate",
            0.001,
            "accuracyThreshold",
            0.85),
        PipelineRegistry.of(new FashionPretrainPipeline(Path.of(DATA)))
            .bind(FashionPretrainPipeline.NAME, Map.of())
            .parameters());
    assertEquals("idx", ((Ingest) plan.step("ingest").orElseThrow()).format());
  }

  @Test
  void isFoundByTheServiceLoaderWithTheEnvironmentsDataFolder() {
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    assertTrue(registry.names().contains("fashion-pretrain"), registry.names()::toString);
    BoundPlan run = registry.bind("fashion-pretrain", Map.of("epochs", "2"));
    assertEquals(2, run.parameters().get("epochs"));
    assertEquals(
        FashionMnist.images(FashionMnistShift.defaultDirectory(System.getenv()), "pretrain")
            .toString(),
        run.parameters().get("images"));
  }
}
