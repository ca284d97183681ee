package dev.lifecycle.activities.labeling.consensus;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The weight of each annotator's vote in {@link Consensus}.
 *
 * <p><b>Majority vote</b> ({@link #uniform()}): every vote weighs 1.
 *
 * <p><b>Accuracy-weighted vote</b> ({@link #fromAccuracy}): under the "one-coin" Dawid–Skene model
 * (annotator {@code j} answers the true class with probability {@code p_j} and otherwise one of the
 * other {@code K − 1} classes uniformly), the log-posterior of class {@code c} given the answers
 * is, up to a constant shared by all classes, the sum over the annotators who chose {@code c} of
 *
 * <pre>
 *   w_j = ln(p_j / (1 − p_j)) + ln(K − 1)
 * </pre>
 *
 * <p>so the weighted plurality with these weights picks the maximum-a-posteriori class under a
 * uniform class prior (Nitzan and Paroush 1982 for {@code K = 2}; Li and Yu 2014 for {@code K}
 * classes). {@code p_j} is estimated in one pass from gold items with additive smoothing towards a
 * prior accuracy {@code p0} worth {@code m = 2} pseudo-answers:
 *
 * <pre>
 *   p̂_j = (correct_j + m · p0) / (gold_j + m)
 * </pre>
 *
 * <p>With {@code p0 = 1/2} this is Laplace's rule of succession {@code (correct + 1) / (gold + 2)}.
 * Smoothing keeps {@code p̂_j} strictly inside (0, 1), so a perfect record on three gold items
 * gives a large but finite weight, and it needs no special case for annotators without gold
 * answers: they get {@code p̂ = p0}, {@link #DEFAULT_PRIOR_ACCURACY} unless set. A weight below
 * zero (an estimated accuracy at or below chance, {@code 1/K}) is clamped to zero: such an
 * annotator's votes are ignored rather than counted against the class they chose.
 */
public final class AnnotatorWeights {
  /**
   * The accuracy assumed for an annotator with no gold answers: a trained but unmeasured labeler.
   */
  public static final double DEFAULT_PRIOR_ACCURACY = 0.7;

  /** How many gold answers the prior accuracy is worth in the smoothed estimate. */
  public static final double PSEUDO_ANSWERS = 2.0;

  private final Map<String, Double> accuracies;
  private final double priorAccuracy;
  private final int classes;

  private AnnotatorWeights(Map<String, Double> accuracies, double priorAccuracy, int classes) {
    this.accuracies = accuracies;
    this.priorAccuracy = priorAccuracy;
    this.classes = classes;
  }

  /** Every vote weighs 1: plain majority vote. */
  public static AnnotatorWeights uniform() {
    return new AnnotatorWeights(Map.of(), Double.NaN, 0);
  }

  /** Log-odds weights from gold accuracy, with {@link #DEFAULT_PRIOR_ACCURACY} as the prior. */
  public static AnnotatorWeights fromAccuracy(
      LabelClasses schema, Map<String, AnnotatorAccuracy> accuracy) {
    return fromAccuracy(schema, accuracy, DEFAULT_PRIOR_ACCURACY);
  }

  /**
   * Log-odds weights from gold accuracy.
   *
   * @param priorAccuracy {@code p0}: the accuracy assumed without evidence, in {@code (1/K, 1)}
   * @throws IllegalArgumentException when {@code priorAccuracy} is outside {@code (1/K, 1)}: at or
   *     below chance, every annotator without gold answers would weigh nothing
   */
  public static AnnotatorWeights fromAccuracy(
      LabelClasses schema, Map<String, AnnotatorAccuracy> accuracy, double priorAccuracy) {
    double chance = 1.0 / schema.size();
    if (!(priorAccuracy > chance && priorAccuracy < 1)) {
      throw new IllegalArgumentException(
          "The prior accuracy must be above chance (1/"
              + schema.size()
              + ") and below 1, got "
              + priorAccuracy);
    }
    Map<String, Double> smoothed = new TreeMap<>();
    accuracy.forEach(
        (id, a) ->
            smoothed.put(
                id,
                (a.correct() + PSEUDO_ANSWERS * priorAccuracy)
                    / (a.goldAnswers() + PSEUDO_ANSWERS)));
    return new AnnotatorWeights(
        Collections.unmodifiableMap(smoothed), priorAccuracy, schema.size());
  }

  /** Whether every vote weighs 1. */
  public boolean isUniform() {
    return classes == 0;
  }

  /** The weight of {@code annotatorId}'s vote; the prior's weight for an annotator without gold. */
  public double weight(String annotatorId) {
    return isUniform() ? 1.0 : weightOf(estimatedAccuracy(annotatorId));
  }

  /**
   * The weight a new annotator would bring, which {@link Consensus} uses to decide how many more
   * annotators an item needs.
   */
  public double priorWeight() {
    return isUniform() ? 1.0 : weightOf(priorAccuracy);
  }

  /**
   * The smoothed accuracy {@code p̂} behind {@code annotatorId}'s weight ({@code p0} without gold).
   *
   * @throws IllegalStateException for {@link #uniform()} weights, which assume no accuracy
   */
  public double estimatedAccuracy(String annotatorId) {
    if (isUniform()) {
      throw new IllegalStateException("Uniform (majority vote) weights assume no accuracy");
    }
    return accuracies.getOrDefault(annotatorId, priorAccuracy);
  }

  /** Whether {@code annotatorId}'s weight rests on gold answers rather than the prior alone. */
  public boolean hasGold(String annotatorId) {
    return accuracies.containsKey(annotatorId);
  }

  private double weightOf(double p) {
    return Math.max(0.0, Math.log(p / (1 - p)) + Math.log(classes - 1));
  }

  @Override
  public String toString() {
    return isUniform()
        ? "AnnotatorWeights[uniform]"
        : "AnnotatorWeights[prior=" + priorAccuracy + ", accuracies=" + accuracies + "]";
  }
}
