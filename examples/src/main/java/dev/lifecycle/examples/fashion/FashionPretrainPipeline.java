package dev.lifecycle.examples.fashion;

import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code fashion-pretrain}: trains the CNN from scratch on Fashion-MNIST (the pretraining part of
 * the training set), scores it on the original test set, and registers it as {@value #MODEL_NAME}
 * when its accuracy is at least {@code accuracyThreshold}: the base model that {@link
 * FashionFinetunePipeline fashion-finetune} adapts to a new camera.
 *
 * <p>The sources default to the files {@link FashionMnistShift#prepare(Path)} writes into the
 * worker's data folder ({@link FashionMnistShift#defaultDirectory}); prepare them once before the
 * first run. The pretraining set is split 90/5/5: the 5% validation slice reports a validation loss
 * per epoch, and the original {@code t10k} test set (not the split's 5% test slice) scores the
 * model.
 *
 * <pre>{@code
 * temporal workflow start --task-queue lifecycle --type PipelineWorkflow \
 *   --input '{"pipeline":"fashion-pretrain","parameters":{"epochs":2}}'
 * }</pre>
 */
public final class FashionPretrainPipeline implements PipelineDefinition {

  /** The pipeline's name. */
  public static final String NAME = "fashion-pretrain";

  /** The registry's name for the base model. */
  public static final String MODEL_NAME = "fashion-base";

  private final Path dataDir;

  /** The pipeline reading from the data folder of this process's {@code LIFECYCLE_HOME}. */
  public FashionPretrainPipeline() {
    this(FashionMnistShift.defaultDirectory(System.getenv()));
  }

  /** The pipeline whose sources default to the files {@code prepare(dataDir)} writes. */
  public FashionPretrainPipeline(Path dataDir) {
    this.dataDir = dataDir;
  }

  @Override
  public Pipeline define() {
    Pipeline p =
        Pipeline.named(NAME)
            .description(
                "Train the image CNN from scratch on Fashion-MNIST and register it as "
                    + MODEL_NAME
                    + " when its test accuracy is at least accuracyThreshold.");
    Param<String> images =
        p.stringParam(
            "images",
            FashionMnist.images(dataDir, "pretrain").toString(),
            "Labelled training images (IDX, labels in the sibling labels-idx1 file)");
    Param<String> testImages =
        p.stringParam(
            "testImages",
            FashionMnist.images(dataDir, FashionMnist.TEST).toString(),
            "Labelled test images (IDX) to score the model on");
    Param.Number<Integer> epochs = p.intParam("epochs", 3, "Training epochs");
    Param.Number<Double> learningRate = p.doubleParam("learningRate", 0.001, "Adam learning rate");
    Param.Number<Double> accuracyThreshold =
        p.doubleParam("accuracyThreshold", 0.85, "Least test accuracy to register the model");

    var raw = p.ingest("ingest").idx(images).dataset();
    var test = p.ingest("ingest-test").idx(testImages).dataset();
    var split = p.split("split", raw).ratios(0.9, 0.05, 0.05).seed(42);
    var train =
        p.train("train", split.train())
            .validation(split.validation())
            .label("label")
            .classification()
            .cnn()
            .epochs(epochs)
            .batchSize(64)
            .learningRate(learningRate)
            .seed(7)
            .timeout(Duration.ofHours(2));
    var evaluate = p.evaluate("evaluate", train.model(), test).label("label").classification();
    var accuracy = evaluate.metric("accuracy");

    p.condition("accuracy-ok", accuracy.atLeast(accuracyThreshold))
        .then(b -> b.register("register", MODEL_NAME, train.model()).dataset(raw).metrics(evaluate))
        .otherwise(
            b ->
                b.fail(
                    "accuracy-too-low",
                    "Test accuracy {} is below the threshold {}: the base model was not registered",
                    accuracy,
                    accuracyThreshold));
    return p;
  }
}
