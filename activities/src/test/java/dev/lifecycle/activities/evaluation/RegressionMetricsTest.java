package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertRejected;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  @Test
  void matchesScikitLearnOnEveryFixture() {
    List<JsonNode> cases = MetricsFixtures.cases("regression");
    assertTrue(cases.size() >= 20, "fixtures: " + cases.size());
    for (JsonNode c : cases) {
      RegressionMetrics m =
          RegressionMetrics.of(doubles(c.get("actual")), doubles(c.get("predicted")));
      assertEquals(c.get("actual").size(), m.count());
      assertClose(c, "mse", m.mse());
      assertClose(c, "rmse", m.rmse());
      assertClose(c, "mae", m.mae());
      assertClose(c, "r2", m.r2());
    }
  }

  @Test
  void rejectsWhatScikitLearnRejects() {
    List<JsonNode> cases = MetricsFixtures.cases("regression_errors");
    assertEquals(3, cases.size());
    for (JsonNode c : cases) {
      assertRejected(
          c, () -> RegressionMetrics.of(doubles(c.get("actual")), doubles(c.get("predicted"))));
    }
  }

  @Test
  void givesNanRSquaredForOneRowAsScikitLearnDoes() {
    assertTrue(Double.isNaN(RegressionMetrics.of(new double[] {4}, new double[] {3}).r2()));
  }

  @Test
  void namesBothLengthsWhenTheyDiffer() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("'actual' has 3 values"), e.getMessage());
    assertTrue(e.getMessage().contains("'predicted' has 2"), e.getMessage());
  }

  @Test
  void namesTheArrayAndIndexOfAnInfiniteValue() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RegressionMetrics.of(
                    new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("'actual' holds Infinity at index 1"), e.getMessage());
  }
}
