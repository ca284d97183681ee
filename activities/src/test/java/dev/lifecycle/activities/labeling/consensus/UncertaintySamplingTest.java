package dev.lifecycle.activities.labeling.consensus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class UncertaintySamplingTest {
  private static final LabelClasses SCHEMA = LabelClasses.of("shirt", "shoe", "bag");
  private static final List<String> IDS = List.of("i0", "i1", "i2", "i3", "i4", "i5");
  // Hand-computed scores:      least confidence  margin  entropy (nats)
  private static final double[][] P = {
    {0.98, 0.01, 0.01}, // i0   0.02             0.97    0.111902
    {0.40, 0.35, 0.25}, // i1   0.60             0.05    1.080528
    {0.34, 0.33, 0.33}, // i2   0.66             0.01    1.098513
    {0.60, 0.40, 0.00}, // i3   0.40             0.20    0.673012
    {0.40, 0.35, 0.25}, // i4   same as i1: ties are broken by index
    {0.10, 0.90, 0.00}, // i5   0.10             0.80    0.325083
  };

  @Test
  void ordersByLeastConfidenceHighestFirst() {
    UncertaintySelection s = select(SamplingOptions.of(UncertaintyMeasure.LEAST_CONFIDENCE, 6));
    assertEquals(List.of("i2", "i1", "i4", "i3", "i5", "i0"), ids(s.forPeople()));
    assertEquals(0.66, s.forPeople().get(0).score(), 1e-12);
  }

  @Test
  void ordersByMarginSmallestFirst() {
    UncertaintySelection s = select(SamplingOptions.of(UncertaintyMeasure.MARGIN, 6));
    assertEquals(List.of("i2", "i1", "i4", "i3", "i5", "i0"), ids(s.forPeople()));
    assertEquals(0.01, s.forPeople().get(0).score(), 1e-12);
  }

  @Test
  void ordersByEntropyHighestFirst() {
    UncertaintySelection s = select(SamplingOptions.of(UncertaintyMeasure.ENTROPY, 6));
    assertEquals(List.of("i2", "i1", "i4", "i3", "i5", "i0"), ids(s.forPeople()));
    assertEquals(1.098513, s.forPeople().get(0).score(), 1e-6);
    assertEquals(0.673012, s.forPeople().get(3).score(), 1e-6);
    assertEquals(0.111902, s.forPeople().get(5).score(), 1e-6);
  }

  @Test
  void marginAndEntropyCanDisagree() {
    // Margin sees only the top two classes; entropy sees the whole distribution.
    double[][] p = {{0.45, 0.45, 0.10}, {0.40, 0.30, 0.30}};
    List<String> ids = List.of("tight-top-two", "flat");
    UncertaintySelection byMargin =
        UncertaintySampling.select(
            SCHEMA, ids, p, SamplingOptions.of(UncertaintyMeasure.MARGIN, 2));
    UncertaintySelection byEntropy =
        UncertaintySampling.select(
            SCHEMA, ids, p, SamplingOptions.of(UncertaintyMeasure.ENTROPY, 2));
    assertEquals(List.of("tight-top-two", "flat"), ids(byMargin.forPeople()));
    assertEquals(List.of("flat", "tight-top-two"), ids(byEntropy.forPeople()));
  }

  @Test
  void autoLabelsConfidentItemsWithTheirConfidence() {
    UncertaintySelection s =
        select(SamplingOptions.of(UncertaintyMeasure.ENTROPY, 6).withAutoLabelThreshold(0.9));

    assertEquals(
        List.of(new AutoLabel(0, "i0", "shirt", 0.98), new AutoLabel(5, "i5", "shoe", 0.90)),
        s.autoLabeled());
    assertEquals(List.of("i2", "i1", "i4", "i3"), ids(s.forPeople()));
  }

  @Test
  void sendsOnlyTheBudgetToPeopleAndKeepsTheRestInOrder() {
    UncertaintySelection s =
        select(SamplingOptions.of(UncertaintyMeasure.MARGIN, 2).withAutoLabelThreshold(0.95));

    assertEquals(List.of("i0"), s.autoLabeled().stream().map(AutoLabel::itemId).toList());
    assertEquals(List.of("i2", "i1"), ids(s.forPeople()));
    assertEquals(List.of("i4", "i3", "i5"), ids(s.overBudget()));
  }

  @Test
  void zeroBudgetSendsNothingToPeople() {
    UncertaintySelection s = select(SamplingOptions.of(UncertaintyMeasure.MARGIN, 0));
    assertTrue(s.forPeople().isEmpty());
    assertEquals(6, s.overBudget().size());
  }

  @Test
  void rejectsProbabilitiesThatDoNotSumToOneNamingTheItem() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                UncertaintySampling.select(
                    SCHEMA,
                    List.of("ok", "bad-sum"),
                    new double[][] {{0.2, 0.3, 0.5}, {0.2, 0.3, 0.4}},
                    SamplingOptions.of(UncertaintyMeasure.ENTROPY, 1)));
    assertEquals("bad-sum", e.itemId().orElseThrow());
    assertTrue(e.getMessage().contains("sum to"), e.getMessage());
  }

  @Test
  void acceptsSumsWithinTolerance() {
    UncertaintySelection s =
        UncertaintySampling.select(
            SCHEMA,
            List.of("float32"),
            new double[][] {{0.2, 0.3, 0.5 + 5e-7}},
            SamplingOptions.of(UncertaintyMeasure.ENTROPY, 1));
    assertEquals(1, s.forPeople().size());
  }

  @Test
  void rejectsProbabilitiesOutsideTheUnitIntervalOrNotANumber() {
    for (double[] p :
        new double[][] {{-0.1, 0.6, 0.5}, {1.2, -0.1, -0.1}, {Double.NaN, 0.5, 0.5}}) {
      ConsensusInputException e =
          assertThrows(
              ConsensusInputException.class,
              () ->
                  UncertaintySampling.select(
                      SCHEMA,
                      List.of("odd"),
                      new double[][] {p},
                      SamplingOptions.of(UncertaintyMeasure.MARGIN, 1)));
      assertEquals("odd", e.itemId().orElseThrow());
      assertTrue(e.getMessage().contains("outside [0, 1]"), e.getMessage());
    }
  }

  @Test
  void rejectsTheWrongNumberOfClassesNamingTheItem() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                UncertaintySampling.select(
                    SCHEMA,
                    List.of("short"),
                    new double[][] {{0.5, 0.5}},
                    SamplingOptions.of(UncertaintyMeasure.MARGIN, 1)));
    assertEquals("short", e.itemId().orElseThrow());
  }

  @Test
  void rejectsDuplicateItems() {
    ConsensusInputException e =
        assertThrows(
            ConsensusInputException.class,
            () ->
                UncertaintySampling.select(
                    SCHEMA,
                    List.of("twice", "twice"),
                    new double[][] {{0.5, 0.5, 0}, {0.5, 0.5, 0}},
                    SamplingOptions.of(UncertaintyMeasure.MARGIN, 1)));
    assertEquals("twice", e.itemId().orElseThrow());
  }

  @Test
  void rejectsMismatchedLengthsAndBadOptions() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            UncertaintySampling.select(
                SCHEMA,
                List.of("a", "b"),
                new double[][] {{1, 0, 0}},
                SamplingOptions.of(UncertaintyMeasure.MARGIN, 1)));
    assertThrows(
        IllegalArgumentException.class, () -> SamplingOptions.of(UncertaintyMeasure.MARGIN, -1));
    assertThrows(
        IllegalArgumentException.class,
        () -> SamplingOptions.of(UncertaintyMeasure.MARGIN, 1).withAutoLabelThreshold(1.5));
  }

  private static UncertaintySelection select(SamplingOptions options) {
    return UncertaintySampling.select(SCHEMA, IDS, P, options);
  }

  private static List<String> ids(List<RankedItem> items) {
    return items.stream().map(RankedItem::itemId).toList();
  }
}
