package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.ints;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void matchesScikitLearnOnEveryFixture() {
    List<JsonNode> cases = MetricsFixtures.cases("classification");
    assertTrue(cases.size() >= 16, "fixtures: " + cases.size());
    for (JsonNode c : cases) {
      ClassificationMetrics m =
          ClassificationMetrics.of(ints(c.get("actual")), matrix(c.get("probabilities")));
      assertClose(c, "accuracy", m.accuracy());
      assertClose(c, "precision", m.precision());
      assertClose(c, "recall", m.recall());
      assertClose(c, "f1", m.f1());
      assertClose(c, "log_loss", m.logLoss());
    }
  }

  @Test
  void countsAConfusionMatrixOfActualByPredicted() {
    ClassificationMetrics m =
        ClassificationMetrics.of(
            new int[] {0, 1, 1}, new double[][] {{0.9, 0.1}, {0.6, 0.4}, {0.2, 0.8}});
    assertArrayEquals(new long[] {1, 0}, m.confusion()[0]);
    assertArrayEquals(new long[] {1, 1}, m.confusion()[1]);
  }

  @Test
  void clipsCertainMistakesToMachineEpsilon() {
    // A certain wrong answer costs -log(eps / (1 + eps)) with eps = 2^-52, about 36.04.
    double loss = ClassificationMetrics.logLoss(new int[] {0}, new double[][] {{0.0, 1.0}});
    double eps = Math.ulp(1.0);
    assertEquals(-Math.log(eps / (eps + 1 - eps)), loss, 1e-12);
    double float32 =
        ClassificationMetrics.logLoss(new int[] {0}, new double[][] {{0.0, 1.0}}, Math.ulp(1.0f));
    assertTrue(float32 < 16, "float32 eps caps the loss near 15.9: " + float32);
  }

  @Test
  void rejectsEmptyInput() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[0], new double[0][]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void rejectsLengthMismatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[] {0, 1}, new double[][] {{0.5, 0.5}}));
    assertTrue(e.getMessage().contains("'actual' has 2 values"), e.getMessage());
    assertTrue(e.getMessage().contains("'probabilities' has 1"), e.getMessage());
  }

  @Test
  void rejectsClassOutsideTheProbabilities() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[] {2}, new double[][] {{0.5, 0.5}}));
    assertTrue(e.getMessage().contains("class 2 outside 0..1"), e.getMessage());
  }

  @Test
  void namesTheRowAndColumnOfANanProbability() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClassificationMetrics.of(
                    new int[] {0, 1}, new double[][] {{0.5, 0.5}, {Double.NaN, 0.5}}));
    assertTrue(e.getMessage().contains("NaN at row 1, column 0"), e.getMessage());
  }

  @Test
  void rejectsASingleClassAsScikitLearnsLogLossDoes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[] {0}, new double[][] {{1.0}}));
    assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
  }
}
