package dev.lifecycle.dsl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

  @Test
  void countsASwapOfNeighboursAsOneEdit() {
    assertEquals(1, Suggestions.distance("rsme", "rmse"));
    assertEquals(Optional.of("rmse"), Suggestions.closest("rsme", List.of("mse", "rmse", "mae")));
  }

  @Test
  void suggestsByPrefixIgnoringCase() {
    assertEquals(
        Optional.of("rmseThreshold"), Suggestions.closest("RMSE", List.of("rmseThreshold")));
    assertEquals(
        Optional.of("evaluate"), Suggestions.closest("evaluate-step", List.of("evaluate")));
  }

  @Test
  void suggestsNothingForUnrelatedOrFullyReplacedNames() {
    assertEquals(Optional.empty(), Suggestions.closest("deploy", List.of("ingest", "split")));
    assertEquals(Optional.empty(), Suggestions.closest("ab", List.of("xy")));
    assertEquals(".", Suggestions.didYouMeanOrStop("ab", List.of("xy")));
    assertEquals(
        "; did you mean 'train'?", Suggestions.didYouMeanOrStop("trian", List.of("train")));
  }
}
