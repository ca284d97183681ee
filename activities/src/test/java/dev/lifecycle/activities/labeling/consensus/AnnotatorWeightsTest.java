package dev.lifecycle.activities.labeling.consensus;

import static dev.lifecycle.activities.labeling.consensus.ConsensusTest.accuracy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AnnotatorWeightsTest {
  private static final LabelClasses THREE = LabelClasses.of("dog", "cat", "bird");
  private static final LabelClasses TEN =
      new LabelClasses(IntStream.range(0, 10).mapToObj(i -> "c" + i).toList());

  @Test
  void uniformWeightsAreOne() {
    AnnotatorWeights w = AnnotatorWeights.uniform();
    assertTrue(w.isUniform());
    assertEquals(1.0, w.weight("anyone"));
    assertEquals(1.0, w.priorWeight());
  }

  @Test
  void weightIsSmoothedLogOddsPlusLogOfWrongClasses() {
    // 19 of 20 on ten classes: p = (19 + 2 x 0.7) / 22 = 20.4 / 22, odds 12.75:
    // ln 12.75 + ln 9 = 2.545531 + 2.197225.
    AnnotatorWeights w =
        AnnotatorWeights.fromAccuracy(TEN, Map.of("ann", accuracyOn(TEN, "ann", 20, 19)));
    assertEquals(20.4 / 22, w.estimatedAccuracy("ann"), 1e-12);
    assertEquals(4.742756, w.weight("ann"), 1e-6);
    assertTrue(w.hasGold("ann"));
  }

  @Test
  void laplacePriorGivesTheRuleOfSuccession() {
    AnnotatorWeights w =
        AnnotatorWeights.fromAccuracy(THREE, Map.of("ann", accuracy("ann", 4, 3)), 0.5);
    assertEquals(4.0 / 6, w.estimatedAccuracy("ann"), 1e-12);
    // ln 2 + ln 2.
    assertEquals(Math.log(4), w.weight("ann"), 1e-12);
  }

  @Test
  void annotatorsWithoutGoldFallBackToThePrior() {
    AnnotatorWeights w = AnnotatorWeights.fromAccuracy(THREE, Map.of("ann", accuracy("ann", 4, 3)));
    assertFalse(w.hasGold("newcomer"));
    assertEquals(AnnotatorWeights.DEFAULT_PRIOR_ACCURACY, w.estimatedAccuracy("newcomer"));
    // ln(0.7 / 0.3) + ln 2.
    assertEquals(1.540445, w.weight("newcomer"), 1e-6);
    assertEquals(w.weight("newcomer"), w.priorWeight());
  }

  @Test
  void perfectRecordGivesAFiniteWeightThatGrowsWithEvidence() {
    AnnotatorWeights w =
        AnnotatorWeights.fromAccuracy(
            THREE,
            Map.of("three", accuracy("three", 3, 3), "hundred", accuracy("hundred", 100, 100)));
    assertTrue(Double.isFinite(w.weight("hundred")));
    assertTrue(w.weight("hundred") > w.weight("three"));
    assertTrue(w.weight("three") > w.priorWeight());
  }

  @Test
  void annotatorsAtOrBelowChanceWeighNothing() {
    AnnotatorWeights w =
        AnnotatorWeights.fromAccuracy(THREE, Map.of("guesser", accuracy("guesser", 60, 5)));
    assertEquals(0.0, w.weight("guesser"));
  }

  @Test
  void rejectsAPriorAtOrBelowChance() {
    for (double prior : List.of(1.0 / 3, 0.2, 1.0, Double.NaN)) {
      assertThrows(
          IllegalArgumentException.class,
          () -> AnnotatorWeights.fromAccuracy(THREE, Map.of(), prior),
          "prior " + prior);
    }
  }

  @Test
  void uniformWeightsHaveNoAccuracy() {
    assertThrows(
        IllegalStateException.class, () -> AnnotatorWeights.uniform().estimatedAccuracy("ann"));
  }

  private static AnnotatorAccuracy accuracyOn(
      LabelClasses schema, String id, int gold, int correct) {
    int[] truth = new int[gold];
    int[] answered = new int[gold];
    for (int i = correct; i < gold; i++) {
      answered[i] = 1;
    }
    return new AnnotatorAccuracy(
        id, gold, correct, ConfusionMatrix.ofClassIndices(truth, answered, schema.classes()));
  }
}
