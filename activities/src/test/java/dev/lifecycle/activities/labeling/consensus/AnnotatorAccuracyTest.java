package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnnotatorAccuracyTest {
  private static final LabelClasses SCHEMA = LabelClasses.of("cat", "dog", "bird");

  @Test
  void wilsonIntervalMatchesNewcombe1998() {
    // Newcombe (1998), Stat. Med. 17:857-872, Table I, method 3 (score, no continuity correction).
    assertInterval(0.2553, 0.3662, WilsonInterval.of(81, 263));
    assertInterval(0.0624, 0.1605, WilsonInterval.of(15, 148));
    assertInterval(0.0000, 0.1611, WilsonInterval.of(0, 20));
    assertInterval(0.0061, 0.1718, WilsonInterval.of(1, 29));
  }

  @Test
  void wilsonIntervalRejectsImpossibleCounts() {
    assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(0, 0));
    assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(5, 4));
    assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(-1, 4));
    assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(1, 4, 0));
  }

  @Test
  void measuresEachAnnotatorOnGoldItemsOnly() {
    Map<String, String> gold = Map.of("g1", "cat", "g2", "dog", "g3", "bird", "g4", "cat");
    List<ItemAnswers> items =
        List.of(
            ItemAnswers.of("g1", Answer.of("ann", "cat"), Answer.of("bob", "dog")),
            ItemAnswers.of("g2", Answer.of("ann", "dog"), Answer.of("bob", "dog")),
            ItemAnswers.of("g3", Answer.of("ann", "cat"), Answer.of("bob", "bird")),
            ItemAnswers.of("g4", Answer.of("ann", "cat")),
            // Not gold: ignored, however wrong it may be.
            ItemAnswers.of("u1", Answer.of("ann", "bird"), Answer.of("cy", "cat")));

    Map<String, AnnotatorAccuracy> acc = AnnotatorAccuracy.fromGold(SCHEMA, gold, items);

    assertEquals(List.of("ann", "bob"), List.copyOf(acc.keySet()));
    AnnotatorAccuracy ann = acc.get("ann");
    assertEquals(4, ann.goldAnswers());
    assertEquals(3, ann.correct());
    assertEquals(0.75, ann.accuracy(), 1e-12);
    assertEquals(WilsonInterval.of(3, 4), ann.interval());
    // Rows: gold class; columns: answered class.
    assertEquals(2, ann.confusion().count(0, 0));
    assertEquals(1, ann.confusion().count(1, 1));
    assertEquals(1, ann.confusion().count(2, 0));
    assertEquals(0, ann.confusion().count(2, 2));
    assertEquals(SCHEMA.classes(), ann.confusion().labels());
    AnnotatorAccuracy bob = acc.get("bob");
    assertEquals(3, bob.goldAnswers());
    assertEquals(2, bob.correct());
    assertEquals(1, bob.confusion().count(0, 1));
  }

  @Test
  void rejectsAGoldLabelOutsideTheSchemaNamingTheItem() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                AnnotatorAccuracy.fromGold(
                    SCHEMA,
                    Map.of("g1", "horse"),
                    List.of(ItemAnswers.of("g1", Answer.of("ann", "cat")))));
    assertEquals("g1", e.itemId().orElseThrow());
    assertEquals("horse", e.label().orElseThrow());
    assertFalse(e.annotatorId().isPresent());
  }

  @Test
  void rejectsAnAnswerToAGoldItemOutsideTheSchema() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                AnnotatorAccuracy.fromGold(
                    SCHEMA,
                    Map.of("g1", "cat"),
                    List.of(ItemAnswers.of("g1", Answer.of("ann", "Cat")))));
    assertEquals("g1", e.itemId().orElseThrow());
    assertEquals("ann", e.annotatorId().orElseThrow());
    assertEquals("Cat", e.label().orElseThrow());
  }

  @Test
  void hasNoEntryForAnnotatorsWithoutGoldAnswers() {
    Map<String, AnnotatorAccuracy> acc =
        AnnotatorAccuracy.fromGold(
            SCHEMA, Map.of(), List.of(ItemAnswers.of("u1", Answer.of("ann", "cat"))));
    assertTrue(acc.isEmpty());
  }

  private static void assertInterval(double low, double high, WilsonInterval actual) {
    assertEquals(low, actual.low(), 5e-5, "low");
    assertEquals(high, actual.high(), 5e-5, "high");
  }
}
