package dev.lifecycle.activities.labeling.consensus;

import java.util.List;

/**
 * A scored batch split by {@link UncertaintySampling}: every item is in exactly one list.
 *
 * @param autoLabeled items the model labels, in batch order
 * @param forPeople the most uncertain items within the budget, most uncertain first
 * @param overBudget the remaining items, in the same order, for a later round
 */
public record UncertaintySelection(
    List<AutoLabel> autoLabeled, List<RankedItem> forPeople, List<RankedItem> overBudget) {
  /** Copies the lists. */
  public UncertaintySelection {
    autoLabeled = List.copyOf(autoLabeled);
    forPeople = List.copyOf(forPeople);
    overBudget = List.copyOf(overBudget);
  }
}
