package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsensusTest {
  private static final LabelClasses ANIMALS = LabelClasses.of("dog", "cat", "bird");
  private static final LabelClasses FIVE = LabelClasses.of("a", "b", "c", "d", "e");
  private static final ConsensusOptions DEFAULTS = ConsensusOptions.defaults();

  @Test
  void majorityPicksTheMostCommonLabelWithItsProvenance() {
    ItemConsensus c =
        Consensus.majority(
            ANIMALS,
            ItemAnswers.of(
                "img-1", Answer.of("ann", "cat"), Answer.of("bob", "dog"), Answer.of("cy", "cat")),
            DEFAULTS);

    assertEquals(Optional.of("cat"), c.label());
    assertFalse(c.tie());
    assertEquals(2.0 / 3, c.agreement(), 1e-12);
    assertEquals(List.of("ann", "bob", "cy"), c.annotators());
    assertEquals(List.of("ann", "cy"), c.agreeing());
    assertEquals(List.of("dog", "cat"), List.copyOf(c.votes().keySet()));
    assertEquals(Map.of("dog", 1.0, "cat", 2.0), c.votes());
    assertFalse(c.needsMoreAnnotators());
  }

  @Test
  void breaksTiesBySchemaOrderAndReportsThem() {
    ItemConsensus c =
        Consensus.majority(
            ANIMALS,
            ItemAnswers.of("img-2", Answer.of("ann", "cat"), Answer.of("bob", "dog")),
            DEFAULTS);

    assertEquals(Optional.of("dog"), c.label());
    assertTrue(c.tie());
    assertEquals(List.of("dog", "cat"), c.tiedLabels());
    assertEquals(0.5, c.agreement(), 1e-12);
    assertEquals(List.of("bob"), c.agreeing());
    assertEquals(1, c.additionalAnnotators());
  }

  @Test
  void leavesTiesUnresolvedWhenAsked() {
    ItemConsensus c =
        Consensus.majority(
            ANIMALS,
            ItemAnswers.of("img-2", Answer.of("ann", "cat"), Answer.of("bob", "dog")),
            ConsensusOptions.newBuilder().setTiePolicy(TiePolicy.UNRESOLVED).build());

    assertEquals(Optional.empty(), c.label());
    assertEquals(List.of("dog", "cat"), c.tiedLabels());
    assertTrue(c.agreeing().isEmpty());
    assertEquals(1, c.additionalAnnotators());
  }

  @Test
  void asksForEnoughAnnotatorsToReachTheThreshold() {
    // A three-way split: 1 of 3. Two more agreeing with the leader would give 3 of 5 = 0.6.
    ItemAnswers split =
        ItemAnswers.of("x", Answer.of("p", "a"), Answer.of("q", "b"), Answer.of("r", "c"));
    assertEquals(2, Consensus.majority(FIVE, split, DEFAULTS).additionalAnnotators());
    // 2 of 4 = 0.5 < 0.6: one more agreeing gives 3 of 5.
    ItemAnswers half =
        ItemAnswers.of(
            "y",
            Answer.of("p", "a"),
            Answer.of("q", "a"),
            Answer.of("r", "b"),
            Answer.of("s", "c"));
    ItemConsensus c = Consensus.majority(FIVE, half, DEFAULTS);
    assertFalse(c.tie());
    assertEquals(Optional.of("a"), c.label());
    assertEquals(1, c.additionalAnnotators());
    // A stricter threshold: (0.8 * 4 - 2) / 0.2 = 6 more, capped by the room left under 9.
    ConsensusOptions strict =
        ConsensusOptions.newBuilder().setAgreementThreshold(0.8).setMaxAnnotatorsPerItem(9).build();
    assertEquals(5, Consensus.majority(FIVE, half, strict).additionalAnnotators());
  }

  @Test
  void stopsAskingAtTheMaximumAnnotatorsPerItem() {
    ItemAnswers split =
        ItemAnswers.of("x", Answer.of("p", "a"), Answer.of("q", "b"), Answer.of("r", "c"));
    ConsensusOptions four = ConsensusOptions.newBuilder().setMaxAnnotatorsPerItem(4).build();
    ConsensusOptions three = ConsensusOptions.newBuilder().setMaxAnnotatorsPerItem(3).build();

    assertEquals(1, Consensus.majority(FIVE, split, four).additionalAnnotators());
    ItemConsensus capped = Consensus.majority(FIVE, split, three);
    assertEquals(0, capped.additionalAnnotators());
    assertTrue(capped.tie());
    assertEquals(Optional.of("a"), capped.label());
  }

  @Test
  void requiresUnanimityWithThresholdOne() {
    ConsensusOptions unanimous =
        ConsensusOptions.newBuilder().setAgreementThreshold(1).setMaxAnnotatorsPerItem(5).build();
    ItemAnswers twoToOne =
        ItemAnswers.of("z", Answer.of("p", "a"), Answer.of("q", "a"), Answer.of("r", "b"));
    ItemAnswers agreed = ItemAnswers.of("w", Answer.of("p", "a"), Answer.of("q", "a"));

    assertEquals(2, Consensus.majority(FIVE, twoToOne, unanimous).additionalAnnotators());
    assertEquals(0, Consensus.majority(FIVE, agreed, unanimous).additionalAnnotators());
  }

  @Test
  void weightedVoteFollowsTheAccurateAnnotator() {
    AnnotatorWeights weights =
        AnnotatorWeights.fromAccuracy(
            ANIMALS,
            Map.of(
                "expert", accuracy("expert", 50, 49),
                "novice1", accuracy("novice1", 20, 12),
                "novice2", accuracy("novice2", 20, 12)));
    ItemAnswers item =
        ItemAnswers.of(
            "img-3",
            Answer.of("expert", "bird"),
            Answer.of("novice1", "cat"),
            Answer.of("novice2", "cat"));

    assertEquals(Optional.of("cat"), Consensus.majority(ANIMALS, item, DEFAULTS).label());
    ItemConsensus weighted = Consensus.consolidate(ANIMALS, item, weights, DEFAULTS);
    assertEquals(Optional.of("bird"), weighted.label());
    // w = ln(p/(1-p)) + ln 2 with p = (49 + 1.4)/52 and (12 + 1.4)/22: 4.143135 vs 2 x 1.136640.
    assertEquals(4.143135, weighted.votes().get("bird"), 1e-6);
    assertEquals(2 * 1.136640, weighted.votes().get("cat"), 1e-6);
    assertEquals(0.645709, weighted.agreement(), 1e-6);
    assertEquals(List.of("expert"), weighted.agreeing());
    assertFalse(weighted.needsMoreAnnotators());
  }

  @Test
  void reportsTiesBetweenEqualWeightSums() {
    AnnotatorWeights weights =
        AnnotatorWeights.fromAccuracy(
            ANIMALS, Map.of("a", accuracy("a", 10, 9), "b", accuracy("b", 10, 9)));
    ItemConsensus c =
        Consensus.consolidate(
            ANIMALS,
            ItemAnswers.of("img-4", Answer.of("a", "bird"), Answer.of("b", "cat")),
            weights,
            DEFAULTS);

    assertTrue(c.tie());
    assertEquals(List.of("cat", "bird"), c.tiedLabels());
    assertEquals(Optional.of("cat"), c.label());
  }

  @Test
  void weighsUnmeasuredAnnotatorsByThePrior() {
    AnnotatorWeights weights =
        AnnotatorWeights.fromAccuracy(ANIMALS, Map.of("a", accuracy("a", 10, 10)));
    ItemConsensus c =
        Consensus.consolidate(
            ANIMALS,
            ItemAnswers.of("img-5", Answer.of("newcomer", "dog"), Answer.of("other", "dog")),
            weights,
            DEFAULTS);

    // ln(0.7 / 0.3) + ln 2 each.
    assertEquals(2 * 1.540445, c.votes().get("dog"), 1e-6);
    assertEquals(1.0, c.agreement(), 1e-12);
  }

  @Test
  void itemWhoseVotesAllWeighNothingIsATieWithZeroAgreement() {
    // 1 of 10 correct on three classes: p = (1 + 1.4)/12 = 0.2, below chance, so weight 0.
    AnnotatorWeights weights =
        AnnotatorWeights.fromAccuracy(
            ANIMALS, Map.of("bad1", accuracy("bad1", 10, 1), "bad2", accuracy("bad2", 10, 1)));
    ItemConsensus c =
        Consensus.consolidate(
            ANIMALS,
            ItemAnswers.of("img-6", Answer.of("bad1", "dog"), Answer.of("bad2", "bird")),
            weights,
            DEFAULTS);

    assertEquals(0.0, c.agreement());
    assertEquals(List.of("dog", "bird"), c.tiedLabels());
    assertTrue(c.needsMoreAnnotators());
  }

  @Test
  void rejectsAnAnswerOutsideTheSchemaNamingItemAnnotatorAndLabel() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                Consensus.majority(
                    ANIMALS,
                    ItemAnswers.of("img-7", Answer.of("ann", "cat"), Answer.of("bob", "horse")),
                    DEFAULTS));

    assertEquals("img-7", e.itemId().orElseThrow());
    assertEquals("bob", e.annotatorId().orElseThrow());
    assertEquals("horse", e.label().orElseThrow());
    assertTrue(e.getMessage().contains("'img-7'") && e.getMessage().contains("'horse'"));
  }

  @Test
  void rejectsAnItemWithoutAnswers() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () -> Consensus.majority(ANIMALS, new ItemAnswers("img-8", List.of()), DEFAULTS));
    assertEquals("img-8", e.itemId().orElseThrow());
    assertTrue(e.getMessage().contains("no answers"), e.getMessage());
  }

  @Test
  void rejectsTwoAnswersFromOneAnnotator() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () -> ItemAnswers.of("img-9", Answer.of("ann", "cat"), Answer.of("ann", "dog")));
    assertEquals("ann", e.annotatorId().orElseThrow());
  }

  @Test
  void freeTextDoesNotTakePartInTheVote() {
    ItemConsensus c =
        Consensus.majority(
            ANIMALS,
            ItemAnswers.of(
                "img-10",
                new Answer("ann", "cat", "looks like a kitten"),
                new Answer("bob", "cat", "")),
            DEFAULTS);
    assertEquals(Optional.of("cat"), c.label());
    assertEquals(1.0, c.agreement());
  }

  @Test
  void consolidatesAllItemsInOrder() {
    List<ItemConsensus> all =
        Consensus.consolidateAll(
            ANIMALS,
            List.of(
                ItemAnswers.of("first", Answer.of("ann", "cat")),
                ItemAnswers.of("second", Answer.of("ann", "bird"))),
            AnnotatorWeights.uniform(),
            DEFAULTS);
    assertEquals(List.of("first", "second"), all.stream().map(ItemConsensus::itemId).toList());
    assertEquals(Optional.of("bird"), all.get(1).label());
  }

  @Test
  void rejectsInvalidSchemasAndOptions() {
    assertThrows(IllegalArgumentException.class, () -> LabelClasses.of("only"));
    assertThrows(IllegalArgumentException.class, () -> LabelClasses.of("a", "a"));
    assertThrows(IllegalArgumentException.class, () -> LabelClasses.of("a", " "));
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsensusOptions.newBuilder().setAgreementThreshold(0).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ConsensusOptions.newBuilder().setMaxAnnotatorsPerItem(0).build());
  }

  static AnnotatorAccuracy accuracy(String id, int gold, int correct) {
    int[] truth = new int[gold];
    int[] answered = new int[gold];
    for (int i = correct; i < gold; i++) {
      answered[i] = 1;
    }
    return new AnnotatorAccuracy(
        id, gold, correct, ConfusionMatrix.ofClassIndices(truth, answered, ANIMALS.classes()));
  }
}
