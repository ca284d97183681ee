package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.assertProblem;
import static dev.lifecycle.dsl.compile.Plans.assertValid;
import static dev.lifecycle.dsl.compile.Plans.ingest;
import static dev.lifecycle.dsl.compile.Plans.out;
import static dev.lifecycle.dsl.compile.Plans.plan;
import static dev.lifecycle.dsl.compile.Plans.split;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.FineTune;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The compiler's rules for train steps: architecture, fine-tuning and early stopping. */
class TrainRulesTest {

  private static Train classifier(String name) {
    return new Train(
        name,
        out("split", "train"),
        out("split", "validation"),
        "y",
        Task.CLASSIFICATION,
        List.of(),
        new Literal(2),
        new Literal(4),
        new Literal(0.01),
        1,
        null,
        null);
  }

  private static Train pretrainedClassifier(String name) {
    return classifier(name).withPretrained(new Literal("/models/base.pt"), null);
  }

  private static PipelinePlan planOf(Train train) {
    return plan(ingest("ingest"), split("split", "ingest"), train);
  }

  @Test
  void acceptsAFineTuningStepWithEveryOption() {
    Train train =
        pretrainedClassifier("tune")
            .withPretrained(
                new Literal("/models/base.pt"),
                new FineTune(List.of("features"), true, Map.of("classifier", 1e-4)))
            .withEarlyStopping(new EarlyStopping(null, 0.001, 3));
    assertValid(planOf(train));
  }

  @Test
  void acceptsAPretrainedModelFromAnEarlierStep() {
    Train base = classifier("base").withArchitecture(Architecture.CNN);
    Train tune =
        classifier("tune")
            .withPretrained(out("base", "model"), new FineTune(List.of("features"), false, null));
    assertValid(plan(ingest("ingest"), split("split", "ingest"), base, tune));
  }

  @Test
  void rejectsADatasetAsPretrainedModel() {
    Train tune = classifier("tune").withPretrained(out("split", "train"), null);
    assertProblem(planOf(tune), Rules.TYPE_MISMATCH, "tune", "pretrained");
  }

  @Test
  void rejectsNonPositivePartLearningRates() {
    Train train =
        classifier("tune")
            .withPretrained(new Literal("/m.pt"), new FineTune(null, false, Map.of("head", -0.01)));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_VALUE, "tune", "head");
    assertTrue(problem.message().contains("-0.01"), problem.message());

    Train zero =
        classifier("zero")
            .withPretrained(new Literal("/m.pt"), new FineTune(null, false, Map.of("head", 0.0)));
    assertProblem(planOf(zero), Rules.INVALID_VALUE, "zero", "head");
  }

  @Test
  void rejectsFreezingWithoutPretrainedModel() {
    Train train =
        classifier("train").withPretrained(null, new FineTune(List.of("features"), false, null));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_FINE_TUNING, "train", "train");
    assertTrue(problem.message().contains("freeze [features]"), problem.message());
  }

  @Test
  void rejectsPartLearningRatesWithoutPretrainedModel() {
    Train train =
        classifier("train").withPretrained(null, new FineTune(null, false, Map.of("head", 0.1)));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_FINE_TUNING, "train", "train");
    assertTrue(problem.message().contains("[head]"), problem.message());
  }

  @Test
  void rejectsNewHeadOnRegression() {
    Train train =
        new Train(
                "tune",
                out("split", "train"),
                null,
                "y",
                Task.REGRESSION,
                List.of(),
                new Literal(2),
                new Literal(4),
                new Literal(0.01),
                1,
                null,
                null)
            .withPretrained(new Literal("/m"), new FineTune(null, true, null));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_FINE_TUNING, "tune", "tune");
    assertTrue(problem.message().contains("regression"), problem.message());
  }

  @Test
  void rejectsCnnForRegression() {
    Train train =
        new Train(
                "cnn",
                out("split", "train"),
                null,
                "y",
                Task.REGRESSION,
                List.of(),
                new Literal(2),
                new Literal(4),
                new Literal(0.01),
                1,
                null,
                null)
            .withArchitecture(Architecture.CNN);
    assertProblem(planOf(train), Rules.INVALID_VALUE, "cnn", "cnn");
  }

  @Test
  void rejectsHiddenLayersForTheCnn() {
    Train train =
        new Train(
                "cnn",
                out("split", "train"),
                null,
                "y",
                Task.CLASSIFICATION,
                List.of(32),
                new Literal(2),
                new Literal(4),
                new Literal(0.01),
                1,
                null,
                null)
            .withArchitecture(Architecture.CNN);
    Problem problem = assertProblem(planOf(train), Rules.INVALID_VALUE, "cnn", "cnn");
    assertTrue(problem.message().contains("[32]"), problem.message());
  }

  @Test
  void rejectsEarlyStoppingWithoutValidationSet() {
    Train train =
        new Train(
                "train",
                out("split", "train"),
                null,
                "y",
                Task.CLASSIFICATION,
                List.of(8),
                new Literal(2),
                new Literal(4),
                new Literal(0.01),
                1,
                null,
                null)
            .withEarlyStopping(new EarlyStopping(null, 0.0, 2));
    assertProblem(planOf(train), Rules.INVALID_EARLY_STOPPING, "train", "validation_loss");
    // Watching the training loss needs no validation set.
    assertValid(planOf(train.withEarlyStopping(new EarlyStopping("train_loss", 0.0, 2))));
  }

  @Test
  void rejectsPatienceBelowOne() {
    Train train = classifier("train").withEarlyStopping(new EarlyStopping(null, 0.0, 0));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_EARLY_STOPPING, "train", "train");
    assertTrue(problem.message().contains("patience 0"), problem.message());
  }

  @Test
  void rejectsNegativeMinDelta() {
    Train train = classifier("train").withEarlyStopping(new EarlyStopping(null, -0.5, 2));
    Problem problem = assertProblem(planOf(train), Rules.INVALID_EARLY_STOPPING, "train", "train");
    assertTrue(problem.message().contains("minDelta -0.5"), problem.message());
  }

  @Test
  void rejectsUnknownEarlyStoppingMetric() {
    Train train = classifier("train").withEarlyStopping(new EarlyStopping("accuracy", 0.0, 2));
    assertProblem(planOf(train), Rules.INVALID_EARLY_STOPPING, "train", "accuracy");
  }
}
