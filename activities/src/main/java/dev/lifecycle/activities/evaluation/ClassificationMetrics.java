package dev.lifecycle.activities.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The classification metrics an evaluate step reports, with scikit-learn 1.2's definitions:
 * accuracy; precision, recall and F1 as macro averages over the classes present in the labels or
 * the predictions ({@code labels=None}), a class never predicted having precision 0 ({@code
 * zero_division}'s default); and {@code log_loss} over all {@code k} classes.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.of(actualClassIndices, probabilities);
 * m.f1();
 * }</pre>
 *
 * @param count rows scored
 * @param accuracy share of rows whose most probable class is the actual one
 * @param precision macro-averaged precision
 * @param recall macro-averaged recall
 * @param f1 macro-averaged F1
 * @param logLoss mean negative log-likelihood of the actual class, see {@link #logLoss(int[],
 *     double[][])}
 * @param confusion counts of actual class (rows) by predicted class (columns), over all {@code k}
 *     classes
 */
public record ClassificationMetrics(
    long count,
    double accuracy,
    double precision,
    double recall,
    double f1,
    double logLoss,
    long[][] confusion) {

  /** {@code np.finfo(np.float64).eps}, scikit-learn 1.2's {@code eps="auto"} for doubles. */
  public static final double FLOAT64_EPS = Math.ulp(1.0);

  /**
   * Scores class probabilities against true class indices. The predicted class of a row is the one
   * with the highest probability (the first on ties, as numpy's {@code argmax}).
   *
   * @param actual the true class of each row, in {@code 0..k-1}
   * @param probabilities per row, the probability of each of the {@code k >= 2} classes
   * @throws IllegalArgumentException when empty, of different lengths, ragged, not finite, with
   *     fewer than two classes, or a class index is out of range
   */
  public static ClassificationMetrics of(int[] actual, double[][] probabilities) {
    double logLoss = logLoss(actual, probabilities);
    int k = probabilities[0].length;
    int[] predicted = argmax(probabilities);
    ClassScores present = ClassScores.of(ConfusionMatrix.of(actual, predicted));
    ConfusionMatrix all =
        ConfusionMatrix.ofClassIndices(
            actual, predicted, IntStream.range(0, k).mapToObj(String::valueOf).toList());
    return new ClassificationMetrics(
        actual.length,
        present.matrix().accuracy(),
        present.precision(ClassScores.Average.MACRO),
        present.recall(ClassScores.Average.MACRO),
        present.f1(ClassScores.Average.MACRO),
        logLoss,
        all.counts());
  }

  /**
   * The most probable class of each row, the first on ties.
   *
   * @throws IllegalArgumentException when empty, ragged or not finite
   */
  public static int[] argmax(double[][] probabilities) {
    if (probabilities.length == 0) {
      throw new IllegalArgumentException("'probabilities' is empty: there is nothing to score");
    }
    int k = probabilities[0] == null ? 0 : probabilities[0].length;
    MetricInputs.requireFiniteRows("probabilities", probabilities, k);
    int[] predicted = new int[probabilities.length];
    for (int i = 0; i < probabilities.length; i++) {
      double[] p = probabilities[i];
      int best = 0;
      for (int c = 1; c < k; c++) {
        if (p[c] > p[best]) {
          best = c;
        }
      }
      predicted[i] = best;
    }
    return predicted;
  }

  /**
   * Log loss with scikit-learn 1.2's {@code eps="auto"} for float64 input, {@link #FLOAT64_EPS}.
   *
   * @see #logLoss(int[], double[][], double)
   */
  public static double logLoss(int[] actual, double[][] probabilities) {
    return logLoss(actual, probabilities, FLOAT64_EPS);
  }

  /**
   * Mean of {@code -log p[actual]} as {@code log_loss(actual, probabilities, eps=eps,
   * labels=range(k))}: each probability is first clipped to {@code [eps, 1 - eps]}, then each row
   * is divided by its sum. Pass {@code Math.ulp(1.0f)} to match what scikit-learn computes on a
   * float32 array.
   *
   * @throws IllegalArgumentException when empty, of different lengths, ragged, not finite, with
   *     fewer than two classes (scikit-learn refuses those too), or a class index is out of range
   */
  public static double logLoss(int[] actual, double[][] probabilities, double eps) {
    MetricInputs.requireSameNonEmpty(
        "actual", actual.length, "probabilities", probabilities.length);
    int k = probabilities[0] == null ? 0 : probabilities[0].length;
    if (k < 2) {
      throw new IllegalArgumentException(
          "Log loss needs probabilities of at least two classes but 'probabilities' has "
              + k
              + " columns");
    }
    MetricInputs.requireFiniteRows("probabilities", probabilities, k);
    MetricInputs.requireClassIndices("actual", actual, k);
    double total = 0;
    for (int i = 0; i < actual.length; i++) {
      double sum = 0;
      for (double p : probabilities[i]) {
        sum += clip(p, eps);
      }
      total -= Math.log(clip(probabilities[i][actual[i]], eps) / sum);
    }
    return total / actual.length;
  }

  private static double clip(double p, double eps) {
    return Math.min(Math.max(p, eps), 1 - eps);
  }

  /**
   * The metrics by their names in {@code Task.CLASSIFICATION.metrics()}, without {@code roc_auc}.
   */
  public Map<String, Double> asMap() {
    Map<String, Double> map = new LinkedHashMap<>();
    map.put("accuracy", accuracy);
    map.put("precision", precision);
    map.put("recall", recall);
    map.put("f1", f1);
    map.put("log_loss", logLoss);
    return map;
  }
}
