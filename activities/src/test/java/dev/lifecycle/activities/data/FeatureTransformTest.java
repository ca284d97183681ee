package dev.lifecycle.activities.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.data.FeatureTransform.Feature;
import dev.lifecycle.activities.data.FeatureTransform.Kind;
import dev.lifecycle.activities.data.FeatureTransform.Scaling;
import dev.lifecycle.activities.store.DatasetColumn;
import dev.lifecycle.dsl.plan.PlanJson;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {
  private static final FeatureTransform TRANSFORM =
      new FeatureTransform(
          FeatureTransform.FORMAT_VERSION,
          "y",
          "BIGINT",
          List.of(
              new DatasetColumn("c", "VARCHAR"),
              new DatasetColumn("x", "DOUBLE"),
              new DatasetColumn("n", "INTEGER"),
              new DatasetColumn("y", "BIGINT")),
          Map.of("c", List.of("a", "b")),
          Map.of("x", new Scaling(10, 4)),
          List.of(
              new Feature("c_a", "c", Kind.ONE_HOT, "a"),
              new Feature("c_b", "c", Kind.ONE_HOT, "b"),
              new Feature("x", "x", Kind.STANDARDIZED, null),
              new Feature("n", "n", Kind.NUMERIC, null)));

  @Test
  void appliesOneHotStandardisationAndPassThrough() {
    assertArrayEquals(
        new float[] {0, 1, 0.5f, 3}, TRANSFORM.apply(Map.of("c", "b", "x", 12.0, "n", 3, "y", 9)));
    assertArrayEquals(
        new float[] {0, 0, -2.5f, 7}, TRANSFORM.apply(Map.of("c", "z", "x", "0", "n", 7L)));
  }

  @Test
  void namesTheColumnThatIsMissingNullOrNotANumber() {
    assertMessage(Map.of("c", "a", "x", 1.0), "'n'");
    Map<String, Object> withNull = new HashMap<>(Map.of("c", "a", "n", 1));
    withNull.put("x", null);
    assertMessage(withNull, "'x' is null");
    assertMessage(Map.of("c", "a", "x", "ten", "n", 1), "'x' must be a number, got 'ten'");
    assertMessage(Map.of("c", "a", "x", true, "n", 1), "'x' must be a number");
  }

  @Test
  void roundTripsThroughJsonWithEveryPartNamed() throws Exception {
    String json = TRANSFORM.toJson();
    assertEquals(TRANSFORM, FeatureTransform.fromJson(json));
    JsonNode tree = PlanJson.lenient().readTree(json);
    assertEquals("y", tree.get("label").asText());
    assertEquals(4, tree.get("inputColumns").size());
    assertEquals("b", tree.get("categories").get("c").get(1).asText());
    assertEquals(4.0, tree.get("scaling").get("x").get("std").asDouble());
    assertEquals("c_a", tree.get("features").get(0).get("name").asText());
    assertEquals(List.of("c_a", "c_b", "x", "n", "y"), TRANSFORM.outputColumns());
    assertEquals(json, FeatureTransform.fromJson(json).toJson());
  }

  @Test
  void refusesAnotherFormatVersion() {
    String json = TRANSFORM.toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 2");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FeatureTransform.fromJson(json));
    assertTrue(e.getMessage().contains("format 2"), e.getMessage());
  }

  private static void assertMessage(Map<String, ?> row, String mention) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> TRANSFORM.apply(row));
    assertTrue(e.getMessage().contains(mention), e.getMessage());
  }
}
