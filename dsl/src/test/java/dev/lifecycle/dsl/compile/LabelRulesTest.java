package dev.lifecycle.dsl.compile;

import static dev.lifecycle.dsl.compile.Plans.assertProblem;
import static dev.lifecycle.dsl.compile.Plans.assertValid;
import static dev.lifecycle.dsl.compile.Plans.ingest;
import static dev.lifecycle.dsl.compile.Plans.out;
import static dev.lifecycle.dsl.compile.Plans.plan;
import static dev.lifecycle.dsl.compile.Plans.split;
import static dev.lifecycle.dsl.compile.Plans.train;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Completion;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.LabelPolicy.Escalation;
import dev.lifecycle.dsl.plan.LabelPolicy.Uncertainty;
import dev.lifecycle.dsl.plan.LabelSchema;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.PipelinePlan;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiler's rules for label steps. */
class LabelRulesTest {

  /** A valid label step whose fields each test changes one at a time. */
  private record L(
      List<String> classes,
      boolean freeText,
      int perItem,
      Consolidation consolidation,
      String gold,
      Operand model,
      Double threshold,
      Uncertainty uncertainty,
      Integer budget,
      Duration deadline,
      Duration reminder,
      Completion completion,
      Integer quota,
      List<String> annotators) {
    static L valid() {
      return new L(
          List.of("a", "b"),
          false,
          2,
          Consolidation.MAJORITY,
          null,
          null,
          null,
          null,
          100,
          Duration.ofDays(7),
          Duration.ofDays(1),
          Completion.ALL,
          null,
          List.of("ana", "ben"));
    }

    Label step() {
      return new Label(
          "label",
          out("ingest", "dataset"),
          new LabelSchema(classes, freeText),
          "Pick one.",
          perItem,
          consolidation,
          gold,
          model,
          threshold,
          uncertainty,
          budget,
          deadline,
          reminder,
          Escalation.NOTIFY,
          completion,
          quota,
          annotators,
          null,
          null,
          null,
          null,
          null,
          null,
          null);
    }

    PipelinePlan plan() {
      return Plans.plan(ingest("ingest"), step());
    }
  }

  private static L valid() {
    return L.valid();
  }

  private static void assertLabeling(L l, String fragment) {
    Problem problem = assertProblem(l.plan(), Rules.INVALID_LABELING, "label", "label");
    assertTrue(problem.message().contains(fragment), problem.message());
  }

  @Test
  void acceptsAValidLabelStepWithAModelFromAnEarlierStep() {
    L v = valid();
    Label step =
        new L(
                v.classes,
                false,
                3,
                Consolidation.WEIGHTED,
                "known",
                out("train", "model"),
                0.9,
                Uncertainty.MARGIN,
                50,
                v.deadline,
                v.reminder,
                Completion.QUOTA,
                40,
                List.of("ana", "ben", "chen"))
            .step();
    assertValid(plan(ingest("ingest"), split("split", "ingest"), train("train", "split"), step));
  }

  @Test
  void rejectsMissingClasses() {
    L v = valid();
    assertLabeling(
        new L(
            List.of(),
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "has no classes");
  }

  @Test
  void acceptsFreeTextWithoutClasses() {
    L v = valid();
    assertValid(
        new L(
                List.of(),
                true,
                2,
                v.consolidation,
                null,
                null,
                null,
                null,
                100,
                v.deadline,
                v.reminder,
                v.completion,
                null,
                v.annotators)
            .plan());
  }

  @Test
  void rejectsDuplicateClasses() {
    L v = valid();
    assertLabeling(
        new L(
            List.of("a", "b", "a"),
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "class 'a' 2 times");
  }

  @Test
  void rejectsAnnotatorsPerItemOutsideOneToNine() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            10,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "10 annotators per item");
  }

  @Test
  void rejectsAThresholdOutsideZeroToOne() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            new Literal("registry:m/1"),
            1.5,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "confidence threshold 1.5");
  }

  @Test
  void rejectsAThresholdWithoutAModel() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            null,
            0.9,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "no model to auto-label");
  }

  @Test
  void rejectsAModelStringThatIsNotARegistryReference() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            new Literal("/tmp/m"),
            0.9,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "'/tmp/m'");
  }

  @Test
  void rejectsWeightedConsolidationWithoutGold() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            Consolidation.WEIGHTED,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "no gold items");
  }

  @Test
  void rejectsAQuotaAboveTheBudget() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            10,
            v.deadline,
            v.reminder,
            Completion.QUOTA,
            20,
            v.annotators),
        "quota of 20");
  }

  @Test
  void rejectsDeadlineCompletionWithoutADeadline() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            null,
            null,
            Completion.DEADLINE,
            null,
            v.annotators),
        "completes at its deadline");
  }

  @Test
  void rejectsAReminderIntervalNotShorterThanTheDeadline() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            Duration.ofDays(1),
            Duration.ofDays(2),
            v.completion,
            null,
            v.annotators),
        "no reminder would come");
  }

  @Test
  void rejectsFewerAnnotatorsThanPerItem() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            3,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators),
        "assigns 2");
  }

  @Test
  void rejectsADuplicateAnnotator() {
    L v = valid();
    assertLabeling(
        new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            List.of("ana", "ben", "ana")),
        "annotator 'ana' 2 times");
  }

  @Test
  void rejectsADatasetAsModel() {
    L v = valid();
    Label step =
        new L(
                v.classes,
                false,
                2,
                v.consolidation,
                null,
                out("split", "train"),
                0.9,
                null,
                100,
                v.deadline,
                v.reminder,
                v.completion,
                null,
                v.annotators)
            .step();
    assertProblem(
        plan(ingest("ingest"), split("split", "ingest"), step),
        Rules.TYPE_MISMATCH,
        "label",
        "model");
  }

  /** {@code step} with the low-agreement policy set. */
  private static Label moreAnnotators(Label s, Double threshold, Integer max) {
    return new Label(
        s.name(),
        s.dataset(),
        s.schema(),
        s.instructions(),
        s.annotatorsPerItem(),
        s.consolidation(),
        s.goldColumn(),
        s.model(),
        s.confidenceThreshold(),
        s.uncertainty(),
        s.budget(),
        s.deadline(),
        s.reminderInterval(),
        s.escalation(),
        s.completion(),
        s.quota(),
        s.annotators(),
        threshold,
        max,
        s.retrainEvery(),
        s.retrainEpochs(),
        s.retrainLearningRate(),
        s.options(),
        s.after());
  }

  private static void assertMoreAnnotators(Label step, String fragment) {
    Problem problem =
        assertProblem(Plans.plan(ingest("ingest"), step), Rules.INVALID_LABELING, "label", "label");
    assertTrue(problem.message().contains(fragment), problem.message());
  }

  private static Label threeOfFive() {
    L v = valid();
    return new L(
            v.classes,
            false,
            3,
            v.consolidation,
            null,
            null,
            null,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            List.of("ana", "ben", "chen", "dee", "eli"))
        .step();
  }

  @Test
  void acceptsMoreAnnotatorsBelowAnAgreementThreshold() {
    assertValid(Plans.plan(ingest("ingest"), moreAnnotators(threeOfFive(), 0.7, 5)));
  }

  @Test
  void rejectsAnAgreementThresholdOutsideZeroToOne() {
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 1.5, 5), "below agreement 1.5");
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 0.0, 5), "below agreement 0.0");
  }

  @Test
  void rejectsHalfTheLowAgreementPolicy() {
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 0.7, null), "no maxAnnotatorsPerItem");
    assertMoreAnnotators(moreAnnotators(threeOfFive(), null, 5), "no agreementThreshold");
  }

  @Test
  void rejectsAMaximumNotAboveThePerItemCountOrAboveNine() {
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 0.7, 3), "at most 3 annotators");
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 0.7, 10), "at most 10 annotators");
  }

  @Test
  void rejectsAMaximumAboveTheAssignedAnnotators() {
    assertMoreAnnotators(moreAnnotators(threeOfFive(), 0.7, 6), "assigns 5");
  }

  @Test
  void rejectsMoreAnnotatorsWithOneAnnotatorPerItem() {
    L v = valid();
    Label one =
        new L(
                v.classes,
                false,
                1,
                v.consolidation,
                null,
                null,
                null,
                null,
                100,
                v.deadline,
                v.reminder,
                v.completion,
                null,
                v.annotators)
            .step();
    assertMoreAnnotators(moreAnnotators(one, 0.7, 2), "always agrees with itself");
  }

  /** {@code s} retraining its model every {@code every} human labels. */
  private static Label retraining(Label s, Integer every) {
    return new Label(
        s.name(),
        s.dataset(),
        s.schema(),
        s.instructions(),
        s.annotatorsPerItem(),
        s.consolidation(),
        s.goldColumn(),
        s.model(),
        s.confidenceThreshold(),
        s.uncertainty(),
        s.budget(),
        s.deadline(),
        s.reminderInterval(),
        s.escalation(),
        s.completion(),
        s.quota(),
        s.annotators(),
        s.agreementThreshold(),
        s.maxAnnotatorsPerItem(),
        every,
        s.retrainEpochs(),
        s.retrainLearningRate(),
        s.options(),
        s.after());
  }

  private static Label withRegistryModel() {
    L v = valid();
    return new L(
            v.classes,
            false,
            2,
            v.consolidation,
            null,
            new Literal("registry:fashion/production"),
            0.9,
            null,
            100,
            v.deadline,
            v.reminder,
            v.completion,
            null,
            v.annotators)
        .step();
  }

  @Test
  void acceptsRetrainingAModelEveryNHumanLabels() {
    assertValid(Plans.plan(ingest("ingest"), retraining(withRegistryModel(), 50)));
  }

  @Test
  void rejectsRetrainingWithoutAModel() {
    assertMoreAnnotators(retraining(valid().step(), 50), "has no model");
  }

  @Test
  void rejectsRetrainingEveryZeroLabels() {
    assertMoreAnnotators(retraining(withRegistryModel(), 0), "retrains every 0");
  }
}
