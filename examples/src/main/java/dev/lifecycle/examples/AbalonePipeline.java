package dev.lifecycle.examples;

import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;
import java.time.Duration;

/**
 * The classic SageMaker Pipelines example: predict the age (rings) of abalone from its size and
 * weight; when its test RMSE meets the bar, register the model (packaged with the features step's
 * fitted transform), serve it at the real-time endpoint {@code abalone-age} ({@code POST
 * /endpoints/abalone-age/invocations}, raw records in: {@code "Sex": "M", "Length": 0.455, ...}),
 * capturing every request, and watch the raw {@code Length} and {@code Whole.weight} of the traffic
 * for drift against the training set (monitor {@code monitor/abalone-age}); else fail saying by how
 * much it missed.
 */
public final class AbalonePipeline implements PipelineDefinition {

  /** The registry's name for the model. */
  public static final String MODEL_NAME = "abalone-age";

  /** The real-time endpoint the model is served at when it passes. */
  public static final String ENDPOINT = "abalone-age";

  @Override
  public Pipeline define() {
    Pipeline p =
        Pipeline.named("abalone")
            .description(
                "Predict abalone age (rings) from size and weight; register the model and serve"
                    + " it at endpoint abalone-age when its test RMSE is at most rmseThreshold.");
    Param.Number<Double> rmseThreshold =
        p.doubleParam("rmseThreshold", 2.5, "Largest test RMSE (in rings) a model may have");
    Param<String> source =
        p.stringParam(
            "source",
            "classpath:datasets/abalone.csv",
            "The abalone CSV (UCI Abalone, CC BY 4.0): a path, file: URI or classpath: resource");
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
            .seed(7)
            .timeout(Duration.ofMinutes(30));
    var evaluate = p.evaluate("evaluate", train.model(), features.test()).label("Rings");
    var rmse = evaluate.metric("rmse");

    p.condition("rmse-ok", rmse.atMost(rmseThreshold))
        .then(
            b -> {
              var register =
                  b.register("register", MODEL_NAME, train.model()).dataset(raw).metrics(evaluate);
              b.batchTransform("predict", train.model(), features.test());
              var serve =
                  b.deploy("serve", register)
                      .endpoint(ENDPOINT)
                      .batching(16, Duration.ofMillis(2))
                      .capture(1.0);
              b.monitor("monitor", serve)
                  .baseline(split.train())
                  .features("Length", "Whole.weight")
                  .every(Duration.ofHours(1));
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
}
