package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.compile.PlanDiagram;
import dev.lifecycle.dsl.plan.Deploy;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The deploy step as people write it, its compiled plan, its JSON and its diagram. */
class DeployBuilderTest {

  /** Train, evaluate, register, then deploy as a canary with batching, alarms and capture. */
  static PipelinePlan deployingPipeline() {
    Pipeline p = Pipeline.named("deploying");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var split = p.split("split", raw);
    var train = p.train("train", split.train()).label("y");
    var evaluate = p.evaluate("evaluate", train.model(), split.test()).label("y");
    var register = p.register("register", "abalone-age", train.model()).metrics(evaluate);
    p.deploy("serve", register)
        .endpoint("abalone-age")
        .batching(32, Duration.ofMillis(5))
        .canary(10, Duration.ofMinutes(5))
        .alarms(0.05, Duration.ofMillis(200))
        .capture(0.2);
    return p.compile();
  }

  @Test
  void compilesToTheGoldenPlan() throws IOException {
    Golden.assertGolden("deploy", deployingPipeline());
  }

  @Test
  void fillsModelAndVersionFromTheRegisterStep() {
    Deploy deploy = (Deploy) deployingPipeline().step("serve").orElseThrow();
    assertEquals("abalone-age", deploy.modelName());
    assertEquals(new OutputRef("register", "model"), deploy.model());
    assertEquals(new OutputRef("register", "version"), deploy.version());
    Serving s = deploy.serving();
    assertEquals(Serving.Mode.REALTIME, s.mode());
    assertEquals(32, s.maxBatchSize());
    assertEquals(Serving.Rollout.CANARY, s.rollout());
    assertEquals(10, s.canaryPercent());
    assertEquals(Duration.ofMinutes(5), s.bake());
    assertEquals(0.05, s.maxErrorRate());
    assertEquals(Duration.ofMillis(200), s.maxP99Latency());
    assertEquals(0.2, s.captureFraction());
  }

  @Test
  void defaultsToARealTimeEndpointNamedAfterTheModel() {
    Pipeline p = Pipeline.named("plain");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("y");
    p.deploy("serve", p.register("register", "abalone-age", train.model()));
    Deploy deploy = (Deploy) p.compile().step("serve").orElseThrow();
    assertEquals("abalone-age", deploy.endpoint());
    assertEquals(Serving.DEFAULT, deploy.serving());
    assertNull(deploy.serving().maxBatchSize());
  }

  @Test
  void serverlessAndAsyncModesRoundTrip() {
    Pipeline p = Pipeline.named("modes");
    var raw = p.ingest("ingest").csv("data.csv").dataset();
    var train = p.train("train", raw).label("y");
    var register = p.register("register", "m", train.model());
    p.deploy("lazy", register).endpoint("m-lazy").serverless(Duration.ofMinutes(3));
    p.deploy("queued", register).endpoint("m-queued").async();
    PipelinePlan plan = p.compile();
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
    Deploy lazy = (Deploy) plan.step("lazy").orElseThrow();
    assertEquals(Serving.Mode.SERVERLESS, lazy.serving().mode());
    assertEquals(Duration.ofMinutes(3), lazy.serving().idle());
    assertEquals(Serving.Mode.ASYNC, ((Deploy) plan.step("queued").orElseThrow()).serving().mode());
  }

  @Test
  void roundTripsThroughJson() {
    PipelinePlan plan = deployingPipeline();
    assertEquals(plan, PlanJson.read(PlanJson.write(plan)));
  }

  @Test
  void drawsTheEndpointInTheDiagram() {
    String mermaid = PlanDiagram.mermaid(deployingPipeline());
    assertTrue(mermaid.contains("serve[\"serve (deploy: realtime abalone-age)\"]"), mermaid);
    assertTrue(mermaid.contains("register --> serve"), mermaid);
  }
}
