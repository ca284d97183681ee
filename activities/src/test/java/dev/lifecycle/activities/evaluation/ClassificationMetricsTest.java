package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void matchesScikitLearnOnEveryFixture() {
    List<JsonNode> cases = MetricsFixtures.cases("classification");
    assertTrue(cases.size() >= 6, "fixtures: " + cases.size());
    for (JsonNode c : cases) {
      JsonNode rows = c.get("probabilities");
      double[][] probabilities = new double[rows.size()][];
      for (int i = 0; i < probabilities.length; i++) {
        probabilities[i] = doubles(rows.get(i));
      }
      int[] actual = new int[c.get("actual").size()];
      for (int i = 0; i < actual.length; i++) {
        actual[i] = c.get("actual").get(i).asInt();
      }
      ClassificationMetrics m = ClassificationMetrics.of(actual, probabilities);
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
  void rejectsEmptyInput() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ClassificationMetrics.of(new int[0], new double[0][]));
  }

  @Test
  void rejectsLengthMismatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[] {0, 1}, new double[][] {{0.5, 0.5}}));
    assertTrue(e.getMessage().contains("1 predictions against 2 labels"), e.getMessage());
  }

  @Test
  void rejectsClassOutsideTheProbabilities() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ClassificationMetrics.of(new int[] {2}, new double[][] {{0.5, 0.5}}));
    assertTrue(e.getMessage().contains("class 2 outside 0..1"), e.getMessage());
  }
}
