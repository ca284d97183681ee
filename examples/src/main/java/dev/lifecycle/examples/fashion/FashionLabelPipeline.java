package dev.lifecycle.examples.fashion;

import dev.lifecycle.dsl.LabelBuilder;
import dev.lifecycle.dsl.Param;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineDefinition;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fashion-label}: people label Fashion-MNIST images the base model never saw ({@link
 * FashionLabelPool}) with the registered base model ({@code registry:fashion-base/latest}, from
 * {@link FashionPretrainPipeline fashion-pretrain}) doing what it is sure of, then the labeled
 * images fine-tune that model, which is scored on held-out test images and registered as {@value
 * #MODEL_NAME} when its accuracy is at least {@code accuracyThreshold}.
 *
 * <p>The label step: the pool ({@link FashionLabelPool}, unlabeled images) is scored by the base
 * model; images it classifies with at least {@value #CONFIDENCE} are labeled automatically, the
 * most uncertain {@value #BUDGET} of the rest go to three annotators, two per image, a third when
 * the two disagree; every {@value #RETRAIN_EVERY} human labels the model is fine-tuned on the
 * labels so far and re-scores the open images (the Ground Truth loop). Answers are the class
 * indices {@code 0} to {@code 9} (the model's classes); the instructions name them.
 *
 * <pre>{@code
 * temporal workflow start --task-queue lifecycle --type PipelineWorkflow \
 *   --input '{"pipeline":"fashion-label"}'
 * }</pre>
 */
public final class FashionLabelPipeline implements PipelineDefinition {

  /** The pipeline's name. */
  public static final String NAME = "fashion-label";

  /** The registry's name for the model trained on the labeled images. */
  public static final String MODEL_NAME = "fashion-labeled";

  /** The base model that auto-labels and that training starts from. */
  public static final String BASE_MODEL =
      "registry:" + FashionPretrainPipeline.MODEL_NAME + "/latest";

  /** The least top-class probability at which the base model labels an image. */
  public static final double CONFIDENCE = 0.95;

  /** The most images sent to people. */
  public static final int BUDGET = 300;

  /** Human labels between two fine-tunings of the auto-labeling model. */
  public static final int RETRAIN_EVERY = 100;

  /** The annotators of the example. */
  public static final List<String> ANNOTATORS = List.of("ana", "ben", "chen");

  private final Path dataDir;

  /** The pipeline reading from the data folder of this process's {@code LIFECYCLE_HOME}. */
  public FashionLabelPipeline() {
    this(FashionMnistShift.defaultDirectory(System.getenv()));
  }

  /** The pipeline whose sources default to the files {@link FashionLabelPool} writes in it. */
  public FashionLabelPipeline(Path dataDir) {
    this.dataDir = dataDir;
  }

  /** The answers the label step accepts: the class indices, as the base model predicts them. */
  public static List<String> classes() {
    List<String> classes = new ArrayList<>();
    for (int c = 0; c < FashionMnist.CLASSES.size(); c++) {
      classes.add(String.valueOf(c));
    }
    return classes;
  }

  @Override
  public Pipeline define() {
    Pipeline p =
        Pipeline.named(NAME)
            .description(
                "Label unseen Fashion-MNIST images with people and the registered"
                    + " fashion-base model, fine-tune that model on them and register it as "
                    + MODEL_NAME
                    + " when its test accuracy is at least accuracyThreshold.");
    Param<String> pool =
        p.stringParam(
            "pool",
            FashionLabelPool.images(dataDir).toString(),
            "Unlabeled images (IDX without a labels file) to label");
    Param<String> testImages =
        p.stringParam(
            "testImages",
            FashionLabelPool.testImages(dataDir).toString(),
            "Labelled test images (IDX) to score the model on");
    Param<String> baseModel =
        p.stringParam("baseModel", BASE_MODEL, "The model to fine-tune on the labeled images");
    Param.Number<Integer> epochs = p.intParam("epochs", 10, "Most fine-tuning epochs");
    Param.Number<Double> accuracyThreshold =
        p.doubleParam("accuracyThreshold", 0.7, "Least test accuracy to register the model");

    var raw = p.ingest("ingest").idx(pool).dataset();
    var test = p.ingest("ingest-test").idx(testImages).dataset();
    StringBuilder names = new StringBuilder("Pick the number of what the picture shows:");
    for (int c = 0; c < FashionMnist.CLASSES.size(); c++) {
      names.append(c == 0 ? " " : ", ").append(c).append(' ').append(FashionMnist.CLASSES.get(c));
    }
    LabelBuilder label =
        p.label("label", raw)
            .classes(classes().toArray(String[]::new))
            .instructions(names + ".")
            .annotatorsPerItem(2)
            .annotators(ANNOTATORS.toArray(String[]::new))
            .moreAnnotatorsBelow(0.75, 3)
            .autoLabel(BASE_MODEL, CONFIDENCE)
            .retrainEvery(RETRAIN_EVERY)
            .budget(BUDGET)
            .deadline(Duration.ofDays(7))
            .remindEvery(Duration.ofDays(1))
            .onDeadline(Escalation.CLOSE);
    var train =
        p.train("train", label.dataset())
            .label("label")
            .classification()
            .pretrained(baseModel)
            .epochs(epochs)
            .batchSize(32)
            .learningRate(0.0005)
            .seed(7)
            .timeout(Duration.ofHours(1));
    var evaluate = p.evaluate("evaluate", train.model(), test).label("label").classification();
    var accuracy = evaluate.metric("accuracy");

    p.condition("accuracy-ok", accuracy.atLeast(accuracyThreshold))
        .then(
            b ->
                b.register("register", MODEL_NAME, train.model())
                    .dataset(label.dataset())
                    .metrics(evaluate))
        .otherwise(
            b ->
                b.fail(
                    "accuracy-too-low",
                    "Test accuracy {} is below the threshold {}: the model was not" + " registered",
                    accuracy,
                    accuracyThreshold));
    return p;
  }
}
