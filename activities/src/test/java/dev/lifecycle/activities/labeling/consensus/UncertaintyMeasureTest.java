package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UncertaintyMeasureTest {
  private static final double[] P = {0.2, 0.5, 0.3};

  @Test
  void leastConfidenceIsOneMinusTheTopProbability() {
    assertEquals(0.5, UncertaintyMeasure.LEAST_CONFIDENCE.score(P), 1e-12);
  }

  @Test
  void marginIsTheGapBetweenTheTwoMostProbableClasses() {
    assertEquals(0.2, UncertaintyMeasure.MARGIN.score(P), 1e-12);
    assertEquals(0.0, UncertaintyMeasure.MARGIN.score(new double[] {0.4, 0.4, 0.2}), 1e-12);
  }

  @Test
  void entropyIsInNats() {
    // -(0.5 ln 0.5 + 0.3 ln 0.3 + 0.2 ln 0.2) = 0.346574 + 0.361192 + 0.321888
    assertEquals(1.029653, UncertaintyMeasure.ENTROPY.score(P), 1e-6);
    // Uniform over four classes: ln 4.
    assertEquals(
        1.386294, UncertaintyMeasure.ENTROPY.score(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-6);
  }

  @Test
  void entropyTreatsZeroProbabilityAsContributingNothing() {
    assertEquals(0.0, UncertaintyMeasure.ENTROPY.score(new double[] {0, 1, 0}), 0.0);
    assertEquals(Math.log(2), UncertaintyMeasure.ENTROPY.score(new double[] {0.5, 0, 0.5}), 1e-12);
  }

  @Test
  void rejectsFewerThanTwoClasses() {
    assertThrows(
        IllegalArgumentException.class, () -> UncertaintyMeasure.MARGIN.score(new double[] {1}));
  }
}
