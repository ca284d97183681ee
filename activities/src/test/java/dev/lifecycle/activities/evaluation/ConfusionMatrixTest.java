package dev.lifecycle.activities.evaluation;

import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertClose;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.assertRejected;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.longs;
import static dev.lifecycle.activities.evaluation.MetricsFixtures.name;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {

  /** The case's matrix, built as the fixture says: sorted union, or explicit labels. */
  static ConfusionMatrix build(JsonNode c) {
    JsonNode labels = c.get("labels");
    boolean text = c.get("actual").size() > 0 && c.get("actual").get(0).isTextual();
    if (text) {
      List<String> actual = strings(c.get("actual"));
      List<String> predicted = strings(c.get("predicted"));
      return labels.isNull()
          ? ConfusionMatrix.of(actual, predicted)
          : ConfusionMatrix.of(actual, predicted, strings(labels));
    }
    List<Integer> actual = integers(c.get("actual"));
    List<Integer> predicted = integers(c.get("predicted"));
    return labels.isNull()
        ? ConfusionMatrix.of(actual, predicted)
        : ConfusionMatrix.of(actual, predicted, integers(labels));
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asText()));
    return values;
  }

  private static List<Integer> integers(JsonNode array) {
    List<Integer> values = new ArrayList<>();
    array.forEach(v -> values.add(v.asInt()));
    return values;
  }

  @Test
  void matchesScikitLearnsConfusionMatrixAndLabelOrder() {
    List<JsonNode> cases = MetricsFixtures.cases("confusion");
    assertTrue(cases.size() >= 26, "fixtures: " + cases.size());
    for (JsonNode c : cases) {
      ConfusionMatrix m = build(c);
      assertEquals(strings(c.get("expected_labels")), m.labels(), name(c));
      long[][] expected = new long[c.get("matrix").size()][];
      for (int i = 0; i < expected.length; i++) {
        expected[i] = longs(c.get("matrix").get(i));
      }
      assertArrayEquals(expected, m.counts(), name(c));
      assertClose(c, "accuracy", m.accuracy());
      assertEquals(c.get("actual").size(), m.rows(), name(c));
    }
  }

  @Test
  void rejectsWhatScikitLearnRejectsAndEmptyInput() {
    List<JsonNode> cases = MetricsFixtures.cases("confusion_errors");
    assertEquals(3, cases.size());
    for (JsonNode c : cases) {
      assertRejected(c, () -> build(c));
    }
  }

  @Test
  void labelsRowsAndColumnsWithTheModelsClassNames() {
    ConfusionMatrix m =
        ConfusionMatrix.ofClassIndices(
            new int[] {0, 2, 2}, new int[] {0, 2, 1}, List.of("inner", "left", "right"));
    assertEquals(List.of("inner", "left", "right"), m.labels());
    assertEquals(1, m.count(2, 1));
    assertEquals(0, m.support(1));
    assertEquals(1, m.predicted(1));
  }

  @Test
  void countsOneVsRestOutcomesOverEveryRow() {
    // Row 3 (actual 3, predicted 3) lies outside the labels but is still a true negative of 1.
    ConfusionMatrix m = ConfusionMatrix.of(List.of(1, 2, 1, 3), List.of(1, 1, 2, 3), List.of(1, 2));
    assertEquals(1, m.truePositives(0));
    assertEquals(1, m.falsePositives(0));
    assertEquals(1, m.falseNegatives(0));
    assertEquals(1, m.trueNegatives(0));
    assertEquals(0.5, m.accuracy());
  }

  @Test
  void rejectsARepeatedLabel() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ConfusionMatrix.of(List.of(1, 2), List.of(1, 2), List.of(1, 2, 1)));
    assertTrue(e.getMessage().contains("'1' twice"), e.getMessage());
  }

  @Test
  void namesTheRowOfANullLabel() {
    List<String> predicted = new ArrayList<>(List.of("a", "b"));
    predicted.set(1, null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ConfusionMatrix.of(List.of("a", "b"), predicted));
    assertTrue(e.getMessage().contains("Row 1 of 'predicted' is null"), e.getMessage());
  }
}
