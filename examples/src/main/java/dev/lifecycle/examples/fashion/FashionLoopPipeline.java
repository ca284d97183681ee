package dev.lifecycle.examples.fashion;

import dev.lifecycle.dsl.LabelBuilder;
import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code fashion-loop}: the whole monitoring → retraining loop on Fashion-MNIST. People label a
 * batch of images, the labels fine-tune the model, and the model is registered as {@value
 * #MODEL_NAME} and served at endpoint {@value #ENDPOINT} only when its accuracy on the new camera's
 * test set ({@code testImages}) beats the production version's by {@value #MARGIN}; then the
 * endpoint is watched every day for drift in its inputs' pixel statistics, and a drift runs this
 * pipeline again on the images captured since the drift began, fine-tuning the production model.
 *
 * <p>The first run labels a launch sample ({@code images}, a Parquet image dataset) and fine-tunes
 * the base model ({@code registry:fashion-base/latest}, from {@link FashionPretrainPipeline
 * fashion-pretrain}); with no production version yet, it deploys. The monitor it starts ({@code
 * monitor/fashion}):
 *
 * <ul>
 *   <li>computes its baseline from the images this run learned from, watching {@code pixel_mean}
 *       (each image's mean intensity) and {@code pixel_std} (its contrast) with a two-sample
 *       Kolmogorov–Smirnov test (drift when p &lt; {@value #KS_P_VALUE}); the range margin is wide,
 *       so that a rare extreme image is not an alert and shifts are left to the drift test;
 *   <li>on a drift, starts this pipeline again with {@code images} = the images captured since the
 *       checks started failing (the new normal) and {@code baseModel} = {@value #PRODUCTION}: at
 *       most {@value #RETRAIN_LIMIT} times, never twice within {@value #COOLDOWN_DAYS} days;
 *   <li>when a retraining run deploys, takes that run's baseline, so that it watches the new
 *       normal.
 * </ul>
 *
 * <p>A challenger that does not beat production fails the run at {@code not-better}, naming both
 * accuracies; production and the endpoint stay as they were.
 *
 * <pre>{@code
 * temporal workflow start --task-queue lifecycle --type PipelineWorkflow --input \
 *   '{"pipeline":"fashion-loop","parameters":{"images":"/data/launch-sample.parquet"}}'
 * }</pre>
 *
 * <p>{@code ./lifecycle demo loop} runs the loop end to end with simulated traffic and simulated
 * annotators; {@code docs/monitoring.md} describes it and its measured numbers.
 */
public final class FashionLoopPipeline implements PipelineDefinition {

  /** The pipeline's name. */
  public static final String NAME = "fashion-loop";

  /** The registry's name for the served model. */
  public static final String MODEL_NAME = "fashion";

  /** The endpoint that serves it. */
  public static final String ENDPOINT = "fashion";

  /** The model in production, which retraining runs fine-tune. */
  public static final String PRODUCTION = "registry:" + MODEL_NAME + "/production";

  /** How much more accurate on the new camera's test set a model must be to replace production. */
  public static final double MARGIN = 0.02;

  /** The Kolmogorov–Smirnov p-value below which a pixel statistic has drifted. */
  public static final double KS_P_VALUE = 1e-4;

  /** Retraining runs at most. */
  public static final int RETRAIN_LIMIT = 3;

  /** Days between two retraining runs at least. */
  public static final int COOLDOWN_DAYS = 7;

  /** The features the monitor watches: derived from every image's pixels. */
  public static final String[] WATCHED = {"pixel_mean", "pixel_std"};

  private final Path dataDir;

  /** The pipeline reading from the data folder of this process's {@code LIFECYCLE_HOME}. */
  public FashionLoopPipeline() {
    this(FashionMnistShift.defaultDirectory(System.getenv()));
  }

  /** The pipeline whose sources default to files in {@code dataDir}. */
  public FashionLoopPipeline(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** The default launch sample: a Parquet image dataset of unlabeled images in {@code dir}. */
  public static Path launchSample(Path dir) {
    return dir.resolve("loop-launch-sample.parquet");
  }

  @Override
  public Pipeline define() {
    Pipeline p =
        Pipeline.named(NAME)
            .description(
                "Label images with people, fine-tune the model on them, and serve it at endpoint "
                    + ENDPOINT
                    + " only when its accuracy on the new camera's test set beats production's by "
                    + MARGIN
                    + "; watch the endpoint's pixel statistics daily and retrain on drift.");
    Param<String> images =
        p.stringParam(
            "images",
            launchSample(dataDir).toString(),
            "Images to label and learn from (a Parquet image dataset): a launch sample, or the"
                + " images the endpoint captured since a drift began");
    Param<String> testImages =
        p.stringParam(
            "testImages",
            FashionMnist.images(dataDir, "shifted-t10k").toString(),
            "Labelled images from the new camera (IDX) to score the model on");
    Param<String> baseModel =
        p.stringParam(
            "baseModel",
            "registry:" + FashionPretrainPipeline.MODEL_NAME + "/latest",
            "The model to fine-tune; retraining runs fine-tune " + PRODUCTION);
    Param.Number<Integer> epochs = p.intParam("epochs", 10, "Fine-tuning epochs");
    Param.Number<Double> learningRate =
        p.doubleParam(
            "learningRate",
            0.001,
            "Adam learning rate of the dense layers (the convolutions learn at 0.0001)");

    var raw = p.ingest("ingest").parquet(images).dataset();
    var test = p.ingest("ingest-test").idx(testImages).dataset();
    StringBuilder names = new StringBuilder("Pick the number of what the picture shows:");
    for (int c = 0; c < FashionMnist.CLASSES.size(); c++) {
      names.append(c == 0 ? " " : ", ").append(c).append(' ').append(FashionMnist.CLASSES.get(c));
    }
    LabelBuilder label =
        p.label("label", raw)
            .classes(FashionLabelPipeline.classes().toArray(String[]::new))
            .instructions(names + ".")
            .annotatorsPerItem(2)
            .annotators(FashionLabelPipeline.ANNOTATORS.toArray(String[]::new))
            .moreAnnotatorsBelow(0.75, 3)
            .deadline(Duration.ofDays(7))
            .remindEvery(Duration.ofDays(1))
            .onDeadline(Escalation.CLOSE);
    // Every layer learns, the convolutions slowly: this camera inverts the response, which frozen
    // convolutions cannot undo (BENCHMARKS.md, "Transfer learning on shifted Fashion-MNIST").
    var train =
        p.train("train", label.dataset())
            .label("label")
            .classification()
            .pretrained(baseModel)
            .learningRate("features", 0.0001)
            .epochs(epochs)
            .batchSize(32)
            .learningRate(learningRate)
            .seed(7)
            .timeout(Duration.ofHours(1));
    var evaluate = p.evaluate("evaluate", train.model(), test).label("label").classification();
    var accuracy = evaluate.metric("accuracy");

    p.condition("beats-production", accuracy.beats(Values.production()).by(MARGIN))
        .then(
            b -> {
              var register =
                  b.register("register", MODEL_NAME, train.model())
                      .dataset(label.dataset())
                      .metrics(evaluate);
              var serve = b.deploy("serve", register).endpoint(ENDPOINT).capture(1.0);
              b.monitor("watch", serve)
                  .baseline(label.dataset())
                  .every(Duration.ofDays(1))
                  .features(WATCHED)
                  .drift("ks", KS_P_VALUE)
                  .rangeMargin(1.0)
                  .retrain(Duration.ofDays(COOLDOWN_DAYS), RETRAIN_LIMIT)
                  .withDriftedData(images)
                  .retrainWith(baseModel, PRODUCTION);
            })
        .otherwise(
            b ->
                b.fail(
                    "not-better",
                    "Accuracy {} on the new camera's test set does not beat production's by "
                        + MARGIN
                        + " (step 'beats-production' gives both): the model was not registered"
                        + " or deployed",
                    accuracy));
    return p;
  }
}
