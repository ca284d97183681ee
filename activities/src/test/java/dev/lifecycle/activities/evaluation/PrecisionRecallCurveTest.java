package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertAllClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertRejected;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.booleans;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.doubles;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class PrecisionRecallCurveTest {

  @Test
  void matchesScikitLearnsCurveAndAveragePrecision() {
    int curves = 0;
    for (JsonNode c : MetricsFixtures.cases("binary")) {
      if (!c.has("pr")) {
        continue;
      }
      PrecisionRecallCurve pr =
          PrecisionRecallCurve.of(booleans(c.get("positive")), doubles(c.get("scores")));
      assertAllClose(c.get("pr").get("precision"), pr.precisions(), name(c) + " precision");
      assertAllClose(c.get("pr").get("recall"), pr.recalls(), name(c) + " recall");
      assertAllClose(c.get("pr").get("thresholds"), pr.thresholds(), name(c) + " thresholds");
      assertClose(c, "average_precision", pr.averagePrecision());
      curves++;
    }
    // Every case but the one without positives, where scikit-learn forces recall to 1.
    assertEquals(39, curves);
  }

  @Test
  void refusesACurveWithoutPositives() {
    JsonNode c =
        MetricsFixtures.cases("binary").stream()
            .filter(x -> name(x).equals("one_class_all_negative"))
            .findFirst()
            .orElseThrow();
    assertTrue(c.get("pr_sklearn").asText().contains("recall is set to one"), name(c));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PrecisionRecallCurve.of(booleans(c.get("positive")), doubles(c.get("scores"))));
    assertTrue(e.getMessage().contains("all 3 rows are negative"), e.getMessage());
  }

  @Test
  void rejectsEmptyMismatchedAndNanInput() {
    for (JsonNode c : MetricsFixtures.cases("binary_errors")) {
      assertRejected(
          c, () -> PrecisionRecallCurve.of(booleans(c.get("positive")), doubles(c.get("scores"))));
    }
  }
}
