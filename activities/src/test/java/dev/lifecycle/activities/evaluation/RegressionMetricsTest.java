package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.doubles;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {

  @Test
  void matchesScikitLearnOnEveryFixture() {
    List<JsonNode> cases = MetricsFixtures.cases("regression");
    assertTrue(cases.size() >= 7, "fixtures: " + cases.size());
    for (JsonNode c : cases) {
      RegressionMetrics m =
          RegressionMetrics.of(doubles(c.get("actual")), doubles(c.get("predicted")));
      assertClose(c, "mse", m.mse());
      assertClose(c, "rmse", m.rmse());
      assertClose(c, "mae", m.mae());
      assertClose(c, "r2", m.r2());
    }
  }

  @Test
  void rejectsEmptyInput() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegressionMetrics.of(new double[0], new double[0]));
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void rejectsLengthMismatch() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegressionMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2}));
    assertTrue(e.getMessage().contains("2 predictions against 3 labels"), e.getMessage());
  }
}
