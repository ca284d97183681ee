package dev.lifecycle.activities.monitoring;

import java.util.List;

/**
 * The chi-square test of a categorical feature's baseline counts against its current counts.
 *
 * @param statistic Pearson's chi-square statistic (after Yates' correction when applied)
 * @param pValue its upper tail probability with {@code degreesOfFreedom}
 * @param degreesOfFreedom categories compared minus one
 * @param yatesCorrected whether Yates' continuity correction was applied (2 categories only)
 * @param categories the categories compared, baseline ones first
 * @param unseenCategories categories the current sample has and the baseline does not
 */
public record ChiSquareResult(
    double statistic,
    double pValue,
    int degreesOfFreedom,
    boolean yatesCorrected,
    List<String> categories,
    List<String> unseenCategories) {
  public ChiSquareResult {
    categories = List.copyOf(categories);
    unseenCategories = List.copyOf(unseenCategories);
  }
}
