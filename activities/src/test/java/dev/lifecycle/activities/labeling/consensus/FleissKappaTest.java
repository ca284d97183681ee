package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleissKappaTest {

  @Test
  void matchesWikipediaWorkedExample() throws IOException {
    FleissKappa k = FleissKappa.fromCounts(wikipediaCounts());

    // Published to three decimals.
    assertEquals(0.378, k.observedAgreement(), 5e-4);
    assertEquals(0.213, k.expectedAgreement(), 5e-4);
    assertEquals(0.210, k.kappa(), 5e-4);
    // Exactly, by hand: P-bar = (828 - 140) / (10 * 14 * 13); category totals 20, 28, 39, 21, 32
    // of 140 give P-bar-e = 4170 / 140^2.
    assertEquals(688.0 / 1820, k.observedAgreement(), 1e-12);
    assertEquals(4170.0 / 19600, k.expectedAgreement(), 1e-12);
    assertEquals((688.0 / 1820 - 4170.0 / 19600) / (1 - 4170.0 / 19600), k.kappa(), 1e-12);
    assertEquals(10, k.items());
  }

  @Test
  void computesTheSameFromAnswersAsFromCounts() throws IOException {
    long[][] counts = wikipediaCounts();
    LabelClasses schema = LabelClasses.of("c1", "c2", "c3", "c4", "c5");
    List<ItemAnswers> items = new ArrayList<>();
    for (int i = 0; i < counts.length; i++) {
      List<Answer> answers = new ArrayList<>();
      for (int c = 0; c < counts[i].length; c++) {
        for (int r = 0; r < counts[i][c]; r++) {
          answers.add(Answer.of("rater-" + answers.size(), schema.classes().get(c)));
        }
      }
      items.add(new ItemAnswers("subject-" + (i + 1), answers));
    }

    assertEquals(FleissKappa.fromCounts(counts), FleissKappa.of(schema, items));
  }

  @Test
  void isOneForPerfectAgreementAndNegativeBelowChance() {
    assertEquals(1.0, FleissKappa.fromCounts(new long[][] {{3, 0}, {0, 3}, {3, 0}}).kappa(), 1e-12);
    // Two raters who always disagree on a balanced binary task: P-bar = 0, P-bar-e = 1/2.
    assertEquals(-1.0, FleissKappa.fromCounts(new long[][] {{1, 1}, {1, 1}}).kappa(), 1e-12);
  }

  @Test
  void isUndefinedWhenEveryAnswerIsTheSameClass() {
    assertTrue(Double.isNaN(FleissKappa.fromCounts(new long[][] {{2, 0}, {3, 0}}).kappa()));
  }

  @Test
  void usesEachItemsOwnAnswerCountAndSkipsSingleAnswers() {
    // Item 1: 2 of 2 agree (P = 1); item 2: 2-1 split of 3 (P = 2/6); item 3 has one answer.
    FleissKappa k = FleissKappa.fromCounts(new long[][] {{2, 0}, {2, 1}, {0, 1}});

    assertEquals(2, k.items());
    assertEquals((1.0 + 2.0 / 6) / 2, k.observedAgreement(), 1e-12);
    // Class totals over the counted items: 4 and 1 of 5.
    assertEquals(0.8 * 0.8 + 0.2 * 0.2, k.expectedAgreement(), 1e-12);
  }

  @Test
  void rejectsJobsWithoutAnItemAnsweredTwice() {
    LabelClasses schema = LabelClasses.of("yes", "no");
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () -> FleissKappa.of(schema, List.of(ItemAnswers.of("only", Answer.of("ann", "yes")))));
    assertTrue(e.getMessage().contains("at least two answers"), e.getMessage());
  }

  @Test
  void rejectsAnswersOutsideTheSchema() {
    LabelClasses schema = LabelClasses.of("yes", "no");
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                FleissKappa.of(
                    schema,
                    List.of(
                        ItemAnswers.of(
                            "item-9", Answer.of("ann", "yes"), Answer.of("bob", "maybe")))));
    assertEquals("item-9", e.itemId().orElseThrow());
    assertEquals("bob", e.annotatorId().orElseThrow());
    assertEquals("maybe", e.label().orElseThrow());
  }

  @Test
  void rejectsRaggedOrNegativeCounts() {
    assertThrows(
        IllegalArgumentException.class,
        () -> FleissKappa.fromCounts(new long[][] {{1, 1}, {1, 1, 0}}));
    assertThrows(
        IllegalArgumentException.class, () -> FleissKappa.fromCounts(new long[][] {{3, -1}}));
  }

  static long[][] wikipediaCounts() throws IOException {
    List<long[]> rows = new ArrayList<>();
    try (InputStream in =
            FleissKappaTest.class.getResourceAsStream("/labeling/fleiss-kappa-wikipedia.csv");
        BufferedReader reader =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      boolean header = true;
      while ((line = reader.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        if (header) {
          header = false;
          continue;
        }
        String[] cells = line.split(",");
        long[] row = new long[cells.length];
        for (int c = 0; c < cells.length; c++) {
          row[c] = Long.parseLong(cells[c].trim());
        }
        rows.add(row);
      }
    }
    return rows.toArray(long[][]::new);
  }
}
