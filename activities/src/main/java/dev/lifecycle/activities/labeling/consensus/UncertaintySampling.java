package dev.lifecycle.activities.labeling.consensus;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Active-learning triage of unlabeled items from a model's class probabilities: items the model is
 * sure of are labelled automatically, the rest are ordered by {@link UncertaintyMeasure} and the
 * first {@link SamplingOptions#budget()} go to people.
 *
 * <pre>{@code
 * UncertaintySelection s = UncertaintySampling.select(
 *     schema, ids, probabilities,
 *     SamplingOptions.of(UncertaintyMeasure.MARGIN, 100).withAutoLabelThreshold(0.98));
 * s.forPeople().get(0).itemId(); // the item with the smallest top-two gap
 * }</pre>
 */
public final class UncertaintySampling {
  /** How far a probability vector's sum may be from 1 (float32 softmax outputs drift by ~1e-7). */
  public static final double SUM_TOLERANCE = 1e-6;

  private UncertaintySampling() {}

  /**
   * Splits a batch.
   *
   * @param itemIds the items, unique
   * @param probabilities {@code probabilities[i]} is the model's distribution over the schema's
   *     classes for {@code itemIds.get(i)}
   * @throws ConsensusInputException naming the item when its probabilities are the wrong length,
   *     not finite, outside [0, 1] or do not sum to 1 within {@link #SUM_TOLERANCE}, or when an
   *     item id repeats
   * @throws IllegalArgumentException when {@code itemIds} and {@code probabilities} differ in
   *     length
   */
  public static UncertaintySelection select(
      LabelClasses schema,
      List<String> itemIds,
      double[][] probabilities,
      SamplingOptions options) {
    if (itemIds.size() != probabilities.length) {
      throw new IllegalArgumentException(
          itemIds.size() + " item ids but " + probabilities.length + " probability vectors");
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < probabilities.length; i++) {
      String itemId = itemIds.get(i);
      if (!seen.add(itemId)) {
        throw new ConsensusInputException(itemId, "the item appears twice in the batch");
      }
      requireDistribution(itemId, probabilities[i], schema.size());
    }
    List<AutoLabel> auto = new ArrayList<>();
    List<RankedItem> ranked = new ArrayList<>();
    for (int i = 0; i < probabilities.length; i++) {
      double[] p = probabilities[i];
      int best = argmax(p);
      if (options.autoLabelThreshold().isPresent()
          && p[best] >= options.autoLabelThreshold().getAsDouble()) {
        auto.add(new AutoLabel(i, itemIds.get(i), schema.classes().get(best), p[best]));
      } else {
        ranked.add(new RankedItem(i, itemIds.get(i), options.measure().score(p)));
      }
    }
    ranked.sort(options.measure().mostUncertainFirst());
    int cut = Math.min(options.budget(), ranked.size());
    return new UncertaintySelection(
        auto, ranked.subList(0, cut), ranked.subList(cut, ranked.size()));
  }

  /**
   * Checks that {@code p} is a probability distribution over {@code classes} classes.
   *
   * @throws ConsensusInputException naming {@code itemId} when it is not
   */
  public static void requireDistribution(String itemId, double[] p, int classes) {
    if (p == null || p.length != classes) {
      throw new ConsensusInputException(
          itemId,
          "expected "
              + classes
              + " class probabilities, got "
              + (p == null ? "none" : String.valueOf(p.length)));
    }
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      if (!(p[c] >= 0 && p[c] <= 1)) {
        throw new ConsensusInputException(
            itemId, "probability of class " + c + " is " + p[c] + ", outside [0, 1]");
      }
      sum += p[c];
    }
    if (Math.abs(sum - 1) > SUM_TOLERANCE) {
      throw new ConsensusInputException(
          itemId, "probabilities sum to " + sum + ", not 1 (±" + SUM_TOLERANCE + ")");
    }
  }

  private static int argmax(double[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }
}
