package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.name;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.evaluation.ClassScores.Average;
import dev.lifecycle.activities.evaluation.ClassScores.ZeroDivision;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ClassScoresTest {

  @Test
  void matchesScikitLearnPerClassAndAveragedForBothZeroDivisions() {
    int checked = 0;
    for (JsonNode c : MetricsFixtures.cases("confusion")) {
      ConfusionMatrix matrix = ConfusionMatrixTest.build(c);
      for (ZeroDivision zd : ZeroDivision.values()) {
        JsonNode expected = c.get("zero_division_" + (int) zd.value());
        ClassScores s = ClassScores.of(matrix, zd);
        String at = name(c) + " zero_division=" + (int) zd.value() + " ";
        for (int k = 0; k < matrix.size(); k++) {
          String label = at + "class " + matrix.labels().get(k) + " ";
          assertClose(expected.get("precision").get(k).asDouble(), s.precision(k), label + "p");
          assertClose(expected.get("recall").get(k).asDouble(), s.recall(k), label + "r");
          assertClose(expected.get("f1").get(k).asDouble(), s.f1(k), label + "f1");
          assertEquals(expected.get("support").get(k).asLong(), s.support(k), label + "support");
          assertClose(expected.get("fpr").get(k).asDouble(), s.falsePositiveRate(k), label + "fpr");
          assertClose(expected.get("tnr").get(k).asDouble(), s.trueNegativeRate(k), label + "tnr");
        }
        for (Average average : Average.values()) {
          JsonNode e = expected.get("averages").get(average.name().toLowerCase(Locale.ROOT));
          String a = at + average + " ";
          assertClose(e.get("precision").asDouble(), s.precision(average), a + "precision");
          assertClose(e.get("recall").asDouble(), s.recall(average), a + "recall");
          assertClose(e.get("f1").asDouble(), s.f1(average), a + "f1");
        }
        checked++;
      }
    }
    assertEquals(52, checked);
  }

  @Test
  void listsTheRatiosScikitLearnWouldWarnAbout() {
    ClassScores s =
        ClassScores.of(ConfusionMatrix.of(new int[] {0, 1, 2, 2}, new int[] {0, 1, 1, 1}));
    assertEquals(List.of("precision of '2' (never predicted)"), s.undefined());
    ClassScores one = ClassScores.of(ConfusionMatrix.of(new int[] {1, 1}, new int[] {1, 1}));
    assertEquals(
        List.of(
            "false positive rate of '1' (every row is of that class)",
            "true negative rate of '1' (every row is of that class)"),
        one.undefined());
  }
}
