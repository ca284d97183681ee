package dev.lifecycle.workflows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.time.Duration;
import java.util.Map;

/** Plans the interpreter tests run, written with the DSL. */
final class TestPlans {
  private TestPlans() {}

  /**
   * The abalone pipeline's shape: ingest, split, features, train (on {@code trainQueue} if not
   * null), evaluate, then register and predict when the RMSE meets the threshold, else fail.
   */
  static Pipeline abalone(String trainQueue) {
    Pipeline p = Pipeline.named("abalone").description("Predict abalone age");
    Param.Number<Double> rmseThreshold = p.doubleParam("rmseThreshold", 2.5, "Largest test RMSE");
    Param<String> source = p.stringParam("source", "classpath:datasets/abalone.csv", "CSV");
    Param.Number<Integer> epochs = p.intParam("epochs", 60, "Training epochs");
    var raw = p.ingest("ingest").csv(source).dataset();
    var split = p.split("split", raw).ratios(0.8, 0.1, 0.1).seed(42);
    var features = p.features("features", split).label("Rings").oneHot("Sex").standardize();
    var train =
        p.train("train", features.train())
            .validation(features.validation())
            .label("Rings")
            .regression()
            .hiddenLayers(64, 32)
            .epochs(epochs)
            .batchSize(32)
            .learningRate(0.003)
            .seed(7);
    if (trainQueue != null) {
      train.taskQueue(trainQueue);
    }
    var evaluate = p.evaluate("evaluate", train.model(), features.test()).label("Rings");
    var rmse = evaluate.metric("rmse");
    p.condition("rmse-ok", rmse.atMost(rmseThreshold))
        .then(
            b -> {
              b.register("register", "abalone-age", train.model()).dataset(raw).metrics(evaluate);
              b.batchTransform("predict", train.model(), features.test());
            })
        .otherwise(
            b ->
                b.fail(
                    "rmse-too-high",
                    "Test RMSE {} is above the threshold {}: the model was not registered",
                    rmse,
                    rmseThreshold));
    return p;
  }

  static Pipeline abalone() {
    return abalone(null);
  }

  /** Two ingests that do not depend on each other, then a split that reads the first. */
  static Pipeline twoSources() {
    Pipeline p = Pipeline.named("two-sources");
    var a = p.ingest("ingest-a").csv("classpath:a.csv");
    var b = p.ingest("ingest-b").csv("classpath:b.csv");
    p.split("split", a.dataset()).ratios(0.8, 0.1, 0.1).seed(1).after(b);
    return p;
  }

  /** Ingest, an approval gate (expiring after {@code expiry} if not null), then a split. */
  static Pipeline gated(Duration expiry) {
    Pipeline p = Pipeline.named("gated");
    var raw = p.ingest("ingest").csv("classpath:a.csv");
    var gate = p.approval("approve-split").prompt("Split the data?").after(raw);
    if (expiry != null) {
      gate.expiresAfter(expiry);
    }
    p.split("split", raw.dataset()).ratios(0.8, 0.1, 0.1).seed(1).after(gate);
    return p;
  }

  /**
   * Two gates that wait at the same time, then a step that blocks, then a third gate: for the
   * update validator.
   */
  static Pipeline threeGates() {
    Pipeline p = Pipeline.named("three-gates");
    var raw = p.ingest("ingest").csv("classpath:a.csv");
    var left = p.approval("left").after(raw);
    var right = p.approval("right").after(raw);
    var split = p.split("split", raw.dataset()).ratios(0.8, 0.1, 0.1).seed(1).after(left, right);
    p.approval("last").after(split);
    return p;
  }

  /** {@code {"plan": plan, "parameters": parameters}}. */
  static JsonNode input(Pipeline pipeline, Map<String, ?> parameters) {
    ObjectNode input = PlanJson.strict().createObjectNode();
    input.set("plan", tree(pipeline.build()));
    input.set("parameters", PlanJson.strict().valueToTree(parameters));
    return input;
  }

  static JsonNode input(Pipeline pipeline) {
    return input(pipeline, Map.of());
  }

  static JsonNode tree(PipelinePlan plan) {
    return PlanJson.strict().valueToTree(plan);
  }

  static JsonNode json(String text) {
    try {
      return PlanJson.strict().readTree(text);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
