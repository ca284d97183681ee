package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Monitor;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Register;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code fashion-loop} compiles to exactly the committed golden plan {@code
 * src/test/resources/golden/fashion-loop.plan.json} (data folder {@value #DATA}): it deploys only a
 * model that beats production, and its monitor retrains from production on the drifted images.
 *
 * <p>After an intended change, rewrite the golden file and review its diff:
 *
 * <pre>
 * mvn -o -pl examples test -Dtest=FashionLoopPipelineTest -Dlifecycle.updateGolden=true
 * </pre>
 */
class FashionLoopPipelineTest {
  private static final String DATA = "/data/fashion-mnist";
  private static final Path GOLDEN = Path.of("src/test/resources/golden/fashion-loop.plan.json");

  private final PipelinePlan plan = new FashionLoopPipeline(Path.of(DATA)).define().compile();

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
  void deploysOnlyAModelThatBeatsProductionByTheMargin() {
    Condition condition = (Condition) plan.step("beats-production").orElseThrow();
    Expr.BeatsProduction beats = (Expr.BeatsProduction) condition.when();
    assertEquals("accuracy", beats.metric().metric());
    assertEquals(FashionLoopPipeline.MARGIN, beats.margin());
    assertEquals(
        List.of("register", "serve", "watch"),
        condition.then().stream().map(s -> s.name()).toList());
    assertEquals(List.of("not-better"), condition.otherwise().stream().map(s -> s.name()).toList());
    assertEquals("fashion", ((Register) plan.step("register").orElseThrow()).modelName());
    assertEquals("fashion", ((Deploy) plan.step("serve").orElseThrow()).endpoint());
  }

  @Test
  void watchesPixelStatisticsAndRetrainsFromProductionOnTheDriftedImages() {
    Monitor watch = (Monitor) plan.step("watch").orElseThrow();
    assertEquals(Duration.ofDays(1), watch.every());
    assertEquals(List.of("pixel_mean", "pixel_std"), watch.features());
    assertEquals(List.of(new Monitor.DriftRule("ks", 1e-4)), watch.numericDrift());
    assertEquals(Monitor.OnViolation.RETRAIN, watch.onViolation());
    assertEquals(3, watch.retrainLimit());
    assertEquals("images", watch.capturedDataParameter());
    assertEquals(true, watch.driftedDataOnly());
    assertEquals(Map.of("baseModel", "registry:fashion/production"), watch.retrainParameters());
    assertEquals(
        Map.of(
            "images",
            DATA + "/loop-launch-sample.parquet",
            "testImages",
            DATA + "/shifted-t10k-images-idx3-ubyte.gz",
            "baseModel",
            "registry:fashion-base/latest",
            "epochs",
            10,
            "learningRate",
            0.001),
        PipelineRegistry.of(new FashionLoopPipeline(Path.of(DATA)))
            .bind("fashion-loop", Map.of())
            .parameters());
  }

  @Test
  void isFoundByTheServiceLoader() {
    assertTrue(PipelineRegistry.fromServiceLoader().names().contains("fashion-loop"));
  }
}
