package dev.lifecycle.activities.labeling.consensus;

import java.util.Comparator;

/**
 * How uncertain a model is about an item, from its class probabilities {@code p} (Settles 2009,
 * "Active Learning Literature Survey", §3.1). Each constant defines both the score and the order in
 * which items go to people; ties are broken by item index, so the order is deterministic.
 */
public enum UncertaintyMeasure {
  /** {@code 1 − max p}; highest first. */
  LEAST_CONFIDENCE(true),
  /** {@code p(1) − p(2)}, the gap between the two most probable classes; smallest first. */
  MARGIN(false),
  /** {@code −Σ p ln p} in nats, with {@code 0 ln 0 = 0}; highest first. */
  ENTROPY(true);

  private final boolean higherIsMoreUncertain;

  UncertaintyMeasure(boolean higherIsMoreUncertain) {
    this.higherIsMoreUncertain = higherIsMoreUncertain;
  }

  /**
   * This measure's score of a probability vector, assumed already validated (see {@link
   * UncertaintySampling#select}).
   *
   * @throws IllegalArgumentException when {@code p} has fewer than two classes
   */
  public double score(double[] p) {
    if (p.length < 2) {
      throw new IllegalArgumentException(
          "Uncertainty needs at least two class probabilities, got " + p.length);
    }
    return switch (this) {
      case LEAST_CONFIDENCE -> 1 - max(p);
      case MARGIN -> margin(p);
      case ENTROPY -> entropy(p);
    };
  }

  /** Whether a higher score means a more uncertain item (false only for {@link #MARGIN}). */
  public boolean higherIsMoreUncertain() {
    return higherIsMoreUncertain;
  }

  /** Most uncertain first, then by item index. */
  public Comparator<RankedItem> mostUncertainFirst() {
    Comparator<RankedItem> byScore = Comparator.comparingDouble(RankedItem::score);
    return (higherIsMoreUncertain ? byScore.reversed() : byScore)
        .thenComparingInt(RankedItem::index);
  }

  private static double max(double[] p) {
    double m = p[0];
    for (double x : p) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static double margin(double[] p) {
    double first = Double.NEGATIVE_INFINITY;
    double second = Double.NEGATIVE_INFINITY;
    for (double x : p) {
      if (x > first) {
        second = first;
        first = x;
      } else if (x > second) {
        second = x;
      }
    }
    return first - second;
  }

  private static double entropy(double[] p) {
    double h = 0;
    for (double x : p) {
      if (x > 0) {
        h -= x * Math.log(x);
      }
    }
    return h;
  }
}
