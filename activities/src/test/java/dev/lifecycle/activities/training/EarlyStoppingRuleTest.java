package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EarlyStoppingRuleTest {

  /** Where a run of epochs ended: the rule's state, and the epoch training stopped after. */
  private record Outcome(EarlyStoppingRule.State state, int lastEpoch) {}

  /** Feeds {@code losses} (epoch 1 first) until the rule says stop. */
  private static Outcome run(EarlyStoppingRule rule, double... losses) {
    EarlyStoppingRule.State state = EarlyStoppingRule.State.START;
    for (int epoch = 1; epoch <= losses.length; epoch++) {
      state = rule.observe(state, epoch, losses[epoch - 1]);
      if (state.stop()) {
        return new Outcome(state, epoch);
      }
    }
    return new Outcome(state, losses.length);
  }

  @Test
  void stopsAfterPatienceEpochsWithoutImprovementAndKeepsTheBest() {
    // Improves until epoch 4 (0.50), then wobbles above it: stops after epoch 4 + 3 = 7.
    Outcome outcome =
        run(new EarlyStoppingRule(0.0, 3), 1.0, 0.8, 0.6, 0.5, 0.55, 0.51, 0.52, 0.3, 0.2);
    assertTrue(outcome.state().stop());
    assertEquals(7, outcome.lastEpoch());
    assertEquals(4, outcome.state().bestEpoch());
    assertEquals(0.5, outcome.state().best());
  }

  @Test
  void countsOnlyDecreasesLargerThanMinDelta() {
    // With minDelta 0.05, epoch 3 (0.78 < 0.8 - 0.05? no) and 4 (0.76) are no improvement on 0.8.
    EarlyStoppingRule rule = new EarlyStoppingRule(0.05, 2);
    Outcome outcome = run(rule, 1.0, 0.8, 0.78, 0.76, 0.1);
    assertTrue(outcome.state().stop());
    assertEquals(4, outcome.lastEpoch());
    assertEquals(2, outcome.state().bestEpoch());
    // A decrease of exactly minDelta does not count either.
    EarlyStoppingRule.State exact =
        rule.observe(rule.observe(EarlyStoppingRule.State.START, 1, 1.0), 2, 0.95);
    assertEquals(1, exact.bestEpoch());
  }

  @Test
  void restartsPatienceOnImprovement() {
    Outcome outcome = run(new EarlyStoppingRule(0.0, 2), 1.0, 1.1, 0.9, 1.0, 0.8, 0.85);
    assertFalse(outcome.state().stop());
    assertEquals(6, outcome.lastEpoch());
    assertEquals(5, outcome.state().bestEpoch());
    assertEquals(1, outcome.state().sinceBest());
  }

  @Test
  void neverTakesANanLossForAnImprovement() {
    Outcome outcome = run(new EarlyStoppingRule(0.0, 2), 0.7, Double.NaN, Double.NaN);
    assertEquals(3, outcome.lastEpoch());
    assertEquals(1, outcome.state().bestEpoch());
  }

  @Test
  void rejectsPatienceBelowOneAndNegativeMinDelta() {
    assertThrows(IllegalArgumentException.class, () -> new EarlyStoppingRule(0.0, 0));
    assertThrows(IllegalArgumentException.class, () -> new EarlyStoppingRule(-0.1, 1));
  }
}
