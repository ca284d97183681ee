package dev.lifecycle.activities.labeling.consensus;

/**
 * The Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe 1998),
 * without continuity correction:
 *
 * <pre>
 *   centre = (p + z²/2n) / (1 + z²/n)
 *   half   = z / (1 + z²/n) · sqrt(p(1 − p)/n + z²/4n²)
 * </pre>
 *
 * <p>with {@code p = successes / n}. Unlike the normal (Wald) interval it stays inside [0, 1] and
 * is not degenerate at 0 or n successes, which matters for annotators with few gold answers.
 *
 * @param low lower bound, in [0, 1]
 * @param high upper bound, in [0, 1]
 */
public record WilsonInterval(double low, double high) {
  /** The standard normal quantile for a two-sided 95% interval. */
  public static final double Z_95 = 1.959963984540054;

  /** The 95% interval for {@code successes} out of {@code trials}. */
  public static WilsonInterval of(long successes, long trials) {
    return of(successes, trials, Z_95);
  }

  /**
   * The interval for {@code successes} out of {@code trials} at normal quantile {@code z}.
   *
   * @throws IllegalArgumentException when {@code trials < 1}, {@code successes} is outside [0,
   *     trials] or {@code z} is not positive
   */
  public static WilsonInterval of(long successes, long trials, double z) {
    if (trials < 1) {
      throw new IllegalArgumentException(
          "A Wilson interval needs at least one trial, got " + trials);
    }
    if (successes < 0 || successes > trials) {
      throw new IllegalArgumentException(
          "Successes must be in [0, " + trials + "], got " + successes);
    }
    if (!(z > 0) || Double.isInfinite(z)) {
      throw new IllegalArgumentException("z must be positive and finite, got " + z);
    }
    double n = trials;
    double p = successes / n;
    double z2 = z * z;
    double denominator = 1 + z2 / n;
    double centre = (p + z2 / (2 * n)) / denominator;
    double half = z / denominator * Math.sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return new WilsonInterval(Math.max(0, centre - half), Math.min(1, centre + half));
  }

  /** Whether {@code value} lies in [low, high]. */
  public boolean contains(double value) {
    return value >= low && value <= high;
  }
}
