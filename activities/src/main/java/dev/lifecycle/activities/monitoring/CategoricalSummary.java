package dev.lifecycle.activities.monitoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summary statistics of a categorical feature: counts, the number of distinct categories and the
 * count of each, most frequent first (ties by name). Missing values (null) are counted apart.
 *
 * @param count values present
 * @param missing values missing
 * @param distinct distinct categories among the values present
 * @param categories the most frequent categories with their counts, at most the limit given to
 *     {@link #of}
 * @param truncated whether {@code categories} leaves some out
 */
public record CategoricalSummary(
    long count, long missing, long distinct, List<CategoryCount> categories, boolean truncated) {

  public CategoricalSummary {
    categories = categories == null ? List.of() : List.copyOf(categories);
  }

  /**
   * A category and how often it occurs.
   *
   * @param value the category
   * @param count its occurrences
   */
  public record CategoryCount(String value, long count) {}

  /** Summarises {@code values} (null is missing), listing at most {@code limit} categories. */
  public static CategoricalSummary of(Iterable<String> values, int limit) {
    Map<String, Long> counts = new HashMap<>();
    long missing = 0;
    long count = 0;
    for (String v : values) {
      if (v == null) {
        missing++;
      } else {
        count++;
        counts.merge(v, 1L, Long::sum);
      }
    }
    List<CategoryCount> sorted = new ArrayList<>();
    counts.forEach((k, v) -> sorted.add(new CategoryCount(k, v)));
    sorted.sort(
        Comparator.comparingLong(CategoryCount::count)
            .reversed()
            .thenComparing(CategoryCount::value));
    boolean truncated = sorted.size() > limit;
    return new CategoricalSummary(
        count, missing, counts.size(), truncated ? sorted.subList(0, limit) : sorted, truncated);
  }

  /** The listed categories' counts, in listed order. */
  public Map<String, Long> countsByCategory() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (CategoryCount c : categories) {
      out.put(c.value(), c.count());
    }
    return out;
  }

  /** The fraction of values present, 1 for no values at all. */
  public double completeness() {
    long total = count + missing;
    return total == 0 ? 1.0 : (double) count / total;
  }
}
