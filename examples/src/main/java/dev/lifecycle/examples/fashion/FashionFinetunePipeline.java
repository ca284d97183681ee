package dev.lifecycle.examples.fashion;

import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;
import dev.lifecycle.dsl.TrainBuilder;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code fashion-finetune}: adapts the registered base model ({@code registry:fashion-base/latest},
 * from {@link FashionPretrainPipeline fashion-pretrain}) to Fashion-MNIST seen through a new camera
 * ({@link CameraShift}) with a few labelled shifted images: its convolutions stay frozen, a new
 * head and the dense layer learn, early stopping watches the validation loss. The model is scored
 * on the shifted test set and registered as {@value #MODEL_NAME} when its accuracy is at least
 * {@code accuracyThreshold}.
 *
 * <p>How many labels: the DSL has no sampling step, so {@link FashionMnistShift#prepare(Path)}
 * writes the labelled subsets as separate files, {@code shifted-train-100-*}, {@code
 * shifted-train-500-*} (the default) and {@code shifted-train-2000-*}; pass another one as {@code
 * images}. Each is split 80/15/5; the shifted test set scores the model.
 *
 * <pre>{@code
 * temporal workflow start --task-queue lifecycle --type PipelineWorkflow --input \
 *   '{"pipeline":"fashion-finetune","parameters":{"images":"/data/shifted-train-100-images-idx3-ubyte.gz"}}'
 * }</pre>
 *
 * <p>{@link Start} also builds the two baselines of the transfer experiment in {@code
 * BENCHMARKS.md} with the same data, split, epochs budget, early stopping and seed: fine-tuning
 * every layer, and training from scratch.
 */
public final class FashionFinetunePipeline implements PipelineDefinition {

  /** The pipeline's name. */
  public static final String NAME = "fashion-finetune";

  /** The registry's name for the adapted model. */
  public static final String MODEL_NAME = "fashion-shifted";

  /** What training starts from and what it may change. */
  public enum Start {
    /** The base model with its convolutions ({@code features}) frozen and a new head. */
    FROZEN_FEATURES,
    /**
     * The base model with a new head, every layer trained: {@code features} at a tenth of the
     * learning rate.
     */
    ALL_LAYERS,
    /** Random weights: the CNN trained from scratch on the labelled shifted images only. */
    SCRATCH
  }

  private final Path dataDir;
  private final Start start;

  /** The pipeline reading from the data folder of this process's {@code LIFECYCLE_HOME}. */
  public FashionFinetunePipeline() {
    this(FashionMnistShift.defaultDirectory(System.getenv()), Start.FROZEN_FEATURES);
  }

  /**
   * The pipeline (or, for a {@code start} other than {@link Start#FROZEN_FEATURES}, a baseline
   * named {@code fashion-finetune-all-layers} or {@code fashion-scratch}) whose sources default to
   * the files {@code prepare(dataDir)} writes.
   */
  public FashionFinetunePipeline(Path dataDir, Start start) {
    this.dataDir = dataDir;
    this.start = start;
  }

  @Override
  public Pipeline define() {
    String name =
        switch (start) {
          case FROZEN_FEATURES -> NAME;
          case ALL_LAYERS -> NAME + "-all-layers";
          case SCRATCH -> "fashion-scratch";
        };
    Pipeline p =
        Pipeline.named(name)
            .description(
                switch (start) {
                      case FROZEN_FEATURES ->
                          "Fine-tune the registered fashion-base CNN (convolutions frozen, new head)";
                      case ALL_LAYERS ->
                          "Fine-tune every layer of the registered fashion-base CNN (new head)";
                      case SCRATCH -> "Train the CNN from scratch";
                    }
                    + " on labelled images from a new camera; register it as "
                    + MODEL_NAME
                    + " when its accuracy on the shifted test set is at least accuracyThreshold.");
    Param<String> images =
        p.stringParam(
            "images",
            FashionMnistShift.shiftedTrainSubset(dataDir, 500).toString(),
            "Labelled shifted images (IDX) to learn from: shifted-train-100, -500 or -2000");
    Param<String> testImages =
        p.stringParam(
            "testImages",
            FashionMnist.images(dataDir, "shifted-t10k").toString(),
            "Labelled shifted test images (IDX) to score the model on");
    Param<String> baseModel =
        start == Start.SCRATCH
            ? null
            : p.stringParam(
                "baseModel",
                "registry:" + FashionPretrainPipeline.MODEL_NAME + "/latest",
                "The model to start from: registry:<name>/<version|latest|alias>, or a path");
    Param.Number<Integer> epochs = p.intParam("epochs", 30, "Most training epochs");
    Param.Number<Double> learningRate = p.doubleParam("learningRate", 0.001, "Adam learning rate");
    Param.Number<Double> accuracyThreshold =
        p.doubleParam(
            "accuracyThreshold", 0.7, "Least shifted-test accuracy to register the model");

    var raw = p.ingest("ingest").idx(images).dataset();
    var test = p.ingest("ingest-test").idx(testImages).dataset();
    var split = p.split("split", raw).ratios(0.8, 0.15, 0.05).seed(42);
    TrainBuilder train =
        p.train("train", split.train())
            .validation(split.validation())
            .label("label")
            .classification()
            .epochs(epochs)
            .batchSize(32)
            .learningRate(learningRate)
            .earlyStopping(0.001, 5)
            .seed(7)
            .timeout(Duration.ofHours(1));
    switch (start) {
      case FROZEN_FEATURES -> train.pretrained(baseModel).freeze("features").newHead();
      case ALL_LAYERS -> train.pretrained(baseModel).newHead().learningRate("features", 0.0001);
      case SCRATCH -> train.cnn();
    }
    var evaluate = p.evaluate("evaluate", train.model(), test).label("label").classification();
    var accuracy = evaluate.metric("accuracy");

    p.condition("accuracy-ok", accuracy.atLeast(accuracyThreshold))
        .then(b -> b.register("register", MODEL_NAME, train.model()).dataset(raw).metrics(evaluate))
        .otherwise(
            b ->
                b.fail(
                    "accuracy-too-low",
                    "Shifted-test accuracy {} is below the threshold {}: the model was not"
                        + " registered",
                    accuracy,
                    accuracyThreshold));
    return p;
  }
}
