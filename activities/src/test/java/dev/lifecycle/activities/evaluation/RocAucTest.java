package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertRejected;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.ints;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.matrix;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.evaluation.ClassScores.Average;
import java.util.List;
import org.junit.jupiter.api.Test;

class RocAucTest {

  @Test
  void matchesScikitLearnsOneVsRestAverages() {
    List<JsonNode> cases = MetricsFixtures.cases("multiclass_auc");
    assertEquals(14, cases.size());
    for (JsonNode c : cases) {
      int[] actual = ints(c.get("actual"));
      double[][] probabilities = matrix(c.get("probabilities"));
      assertClose(c, "macro", RocAuc.oneVsRest(actual, probabilities, Average.MACRO));
      assertClose(c, "weighted", RocAuc.oneVsRest(actual, probabilities, Average.WEIGHTED));
      assertClose(c, "micro", RocAuc.oneVsRest(actual, probabilities, Average.MICRO));
    }
  }

  @Test
  void refusesWhatScikitLearnRefuses() {
    for (JsonNode c : MetricsFixtures.cases("multiclass_auc_errors")) {
      assertRejected(
          c,
          () ->
              RocAuc.oneVsRest(
                  ints(c.get("actual")), matrix(c.get("probabilities")), Average.MACRO));
    }
  }

  @Test
  void pointsTwoClassesToTheBinaryAuc() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RocAuc.oneVsRest(
                    new int[] {0, 1}, new double[][] {{0.4, 0.6}, {0.3, 0.7}}, Average.MACRO));
    assertTrue(e.getMessage().contains("use binary()"), e.getMessage());
  }
}
