package dev.lifecycle.activities.evaluation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Classification scores with scikit-learn's definitions: accuracy; precision, recall and F1 as
 * macro averages over the classes present in the labels or the predictions (a class never
 * predicted has precision 0, scikit-learn's {@code zero_division} default); and {@code log_loss}
 * with probabilities clipped to {@code [eps, 1 - eps]} ({@code eps} the double's machine epsilon)
 * and renormalised per row.
 *
 * <pre>{@code
 * ClassificationMetrics m = ClassificationMetrics.of(actualClassIndices, probabilities);
 * m.f1();
 * }</pre>
 */
public record ClassificationMetrics(
    long count,
    double accuracy,
    double precision,
    double recall,
    double f1,
    double logLoss,
    long[][] confusion) {

  private static final double EPS = Math.ulp(1.0);

  /**
   * Scores class probabilities against true class indices. The predicted class of a row is the one
   * with the highest probability (the first on ties).
   *
   * @param actual the true class of each row, in {@code 0..k-1}
   * @param probabilities per row, the probability of each of the {@code k} classes
   * @throws IllegalArgumentException when empty, of different lengths, ragged, or a class index is
   *     out of range
   */
  public static ClassificationMetrics of(int[] actual, double[][] probabilities) {
    RegressionMetrics.requireSameNonEmpty(actual.length, probabilities.length);
    int n = actual.length;
    int k = probabilities[0].length;
    if (k < 1) {
      throw new IllegalArgumentException("Probabilities must cover at least one class");
    }
    long[][] confusion = new long[k][k];
    double logLoss = 0;
    long correct = 0;
    for (int i = 0; i < n; i++) {
      double[] p = probabilities[i];
      if (p.length != k) {
        throw new IllegalArgumentException(
            "Row " + i + " has " + p.length + " probabilities but row 0 has " + k);
      }
      if (actual[i] < 0 || actual[i] >= k) {
        throw new IllegalArgumentException(
            "Row " + i + " has class " + actual[i] + " outside 0.." + (k - 1));
      }
      int predicted = 0;
      double sum = 0;
      for (int c = 0; c < k; c++) {
        if (p[c] > p[predicted]) {
          predicted = c;
        }
        sum += clip(p[c]);
      }
      logLoss -= Math.log(clip(p[actual[i]]) / sum);
      confusion[actual[i]][predicted]++;
      correct += predicted == actual[i] ? 1 : 0;
    }
    TreeSet<Integer> present = new TreeSet<>();
    for (int c = 0; c < k; c++) {
      long asActual = 0;
      long asPredicted = 0;
      for (int o = 0; o < k; o++) {
        asActual += confusion[c][o];
        asPredicted += confusion[o][c];
      }
      if (asActual > 0 || asPredicted > 0) {
        present.add(c);
      }
    }
    double precision = 0;
    double recall = 0;
    double f1 = 0;
    for (int c : present) {
      long tp = confusion[c][c];
      long predictedC = 0;
      long actualC = 0;
      for (int o = 0; o < k; o++) {
        predictedC += confusion[o][c];
        actualC += confusion[c][o];
      }
      double p = predictedC == 0 ? 0 : (double) tp / predictedC;
      double r = actualC == 0 ? 0 : (double) tp / actualC;
      precision += p;
      recall += r;
      f1 += p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
    int classes = present.size();
    return new ClassificationMetrics(
        n,
        (double) correct / n,
        precision / classes,
        recall / classes,
        f1 / classes,
        logLoss / n,
        confusion);
  }

  private static double clip(double p) {
    return Math.min(Math.max(p, EPS), 1 - EPS);
  }

  /** The metrics by their names in {@code Task.CLASSIFICATION.metrics()}. */
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
