package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertAllClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertRejected;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.booleans;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.doubles;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class RocCurveTest {

  @Test
  void matchesScikitLearnsRocCurveAndAuc() {
    int curves = 0;
    for (JsonNode c : MetricsFixtures.cases("binary")) {
      if (!c.has("roc")) {
        continue;
      }
      RocCurve roc = RocCurve.of(booleans(c.get("positive")), doubles(c.get("scores")));
      assertAllClose(c.get("roc").get("fpr"), roc.falsePositiveRates(), name(c) + " fpr");
      assertAllClose(c.get("roc").get("tpr"), roc.truePositiveRates(), name(c) + " tpr");
      assertAllClose(c.get("roc").get("thresholds"), roc.thresholds(), name(c) + " thresholds");
      assertClose(c, "roc_auc", roc.auc());
      assertClose(
          c, "roc_auc", RocAuc.binary(booleans(c.get("positive")), doubles(c.get("scores"))));
      curves++;
    }
    assertEquals(38, curves);
  }

  @Test
  void refusesOneClassWhereScikitLearnRaisesOrReturnsNan() {
    int refused = 0;
    for (JsonNode c : MetricsFixtures.cases("binary")) {
      if (c.has("roc")) {
        continue;
      }
      assertTrue(c.get("roc_sklearn").asText().contains("Only one class"), name(c));
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> RocAuc.binary(booleans(c.get("positive")), doubles(c.get("scores"))));
      assertTrue(e.getMessage().contains("needs positive and negative rows"), e.getMessage());
      refused++;
    }
    assertEquals(2, refused);
  }

  @Test
  void rejectsEmptyMismatchedAndNanInput() {
    for (JsonNode c : MetricsFixtures.cases("binary_errors")) {
      assertRejected(c, () -> RocCurve.of(booleans(c.get("positive")), doubles(c.get("scores"))));
    }
  }

  @Test
  void givesAllTiesOneThresholdAndTheDiagonal() {
    RocCurve roc =
        RocCurve.of(new boolean[] {true, false, true, false}, new double[] {0.3, 0.3, 0.3, 0.3});
    assertArrayEquals(new double[] {0, 1}, roc.falsePositiveRates());
    assertArrayEquals(new double[] {0, 1}, roc.truePositiveRates());
    assertArrayEquals(new double[] {1.3, 0.3}, roc.thresholds());
    assertEquals(0.5, roc.auc());
  }
}
