package dev.lifecycle.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.BoundPlan;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.compile.PlanDiagram;
import dev.lifecycle.dsl.compile.PlanGraph;
import dev.lifecycle.dsl.plan.BatchTransform;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.dsl.plan.Serving;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The abalone pipeline compiles to exactly the committed golden plan {@code
 * src/test/resources/golden/abalone.plan.json}.
 *
 * <p>After an intended change to the pipeline, the DSL or the IR, rewrite the golden file and
 * review its diff:
 *
 * <pre>
 * mvn -o -pl examples test -Dtest=AbalonePipelineTest -Dlifecycle.updateGolden=true
 * </pre>
 */
class AbalonePipelineTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden/abalone.plan.json");

  private final PipelinePlan plan = new AbalonePipeline().define().compile();

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
  void qualifiesEveryMetricWithItsEvaluateStep() {
    Register register = (Register) plan.step("register").orElseThrow();
    assertEquals(Set.of("mse", "rmse", "mae", "r2"), register.metrics().keySet());
    register.metrics().values().forEach(m -> assertEquals("evaluate", ((MetricRef) m).step()));
  }

  @Test
  void deploysTheRegisteredVersionToARealTimeEndpointWhenItPasses() {
    Deploy deploy = (Deploy) plan.step("serve").orElseThrow();
    assertEquals(Optional.of(PlanGraph.THEN), PlanGraph.of(plan).branch("serve"));
    assertEquals("abalone-age", deploy.endpoint());
    assertEquals(AbalonePipeline.MODEL_NAME, deploy.modelName());
    assertEquals(new OutputRef("register", "model"), deploy.model());
    assertEquals(new OutputRef("register", "version"), deploy.version());
    assertEquals(Serving.Mode.REALTIME, deploy.serving().mode());
    assertEquals(16, deploy.serving().maxBatchSize());
  }

  @Test
  void packagesTheFittedFeatureTransformWithTheModel() {
    OutputRef transform = new OutputRef("features", "transform");
    assertEquals(transform, ((Register) plan.step("register").orElseThrow()).transform());
    assertEquals(transform, ((BatchTransform) plan.step("predict").orElseThrow()).transform());
  }

  @Test
  void capturesEveryRequestAndMonitorsRawLengthAndWholeWeightAgainstTheTrainingSet() {
    Deploy deploy = (Deploy) plan.step("serve").orElseThrow();
    assertEquals(1.0, deploy.serving().captureFraction());
    Monitor monitor = (Monitor) plan.step("monitor").orElseThrow();
    assertEquals(Optional.of(PlanGraph.THEN), PlanGraph.of(plan).branch("monitor"));
    assertEquals(new OutputRef("serve", "endpoint"), monitor.endpoint());
    assertEquals(new OutputRef("split", "train"), monitor.baseline());
    assertEquals(List.of("Length", "Whole.weight"), monitor.features());
    assertEquals(Monitor.OnViolation.ALERT, monitor.onViolation());
  }

  @Test
  void ordersStepsByTheirDependencies() {
    PlanGraph graph = PlanGraph.of(plan);
    assertEquals(
        List.of(
            "ingest",
            "split",
            "features",
            "train",
            "evaluate",
            "rmse-ok",
            "register",
            "predict",
            "serve",
            "monitor",
            "rmse-too-high"),
        graph.topologicalOrder());
    assertEquals(Set.of("train", "ingest", "evaluate", "features"), graph.dependencies("register"));
    assertEquals(Set.of("serve", "split"), graph.dependencies("monitor"));
    assertEquals(Optional.of("rmse-ok"), graph.parent("rmse-too-high"));
    assertEquals(Optional.of(PlanGraph.OTHERWISE), graph.branch("rmse-too-high"));
  }

  @Test
  void drawsEveryDependencyAndBranchInMermaid() {
    String mermaid = PlanDiagram.mermaid(plan);
    for (String line :
        List.of(
            "flowchart TD",
            "ingest[\"ingest (ingest)\"]",
            "rmse_ok{\"rmse-ok (condition)\"}",
            "ingest --> split",
            "split --> features",
            "features --> train",
            "train --> evaluate",
            "features --> evaluate",
            "evaluate --> rmse_ok",
            "rmse_ok -->|then| register",
            "rmse_ok -->|then| predict",
            "rmse_ok -->|then| serve",
            "register --> serve",
            "serve[\"serve (deploy: realtime abalone-age)\"]",
            "rmse_ok -->|otherwise| rmse_too_high",
            "train --> register",
            "ingest --> register",
            "evaluate --> rmse_too_high")) {
      assertTrue(mermaid.contains(line), () -> "missing '" + line + "' in\n" + mermaid);
    }
  }

  @Test
  void isFoundByTheServiceLoaderAndBindsDefaults() {
    PipelineRegistry registry = PipelineRegistry.fromServiceLoader();
    assertTrue(registry.names().contains("abalone"), registry.names()::toString);
    BoundPlan run = registry.bind("abalone", Map.of("epochs", "3"));
    assertEquals(plan, run.plan());
    assertEquals(
        Map.of("rmseThreshold", 2.5, "source", "classpath:datasets/abalone.csv", "epochs", 3),
        run.parameters());
  }
}
