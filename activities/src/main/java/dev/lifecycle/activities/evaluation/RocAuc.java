package dev.lifecycle.activities.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * The area under the ROC curve, as scikit-learn 1.2's {@code roc_auc_score}: for two classes, of
 * the positive class's scores; for three or more, one-vs-rest ({@code multi_class='ovr'}) over
 * class probabilities, averaged macro, weighted by support, or micro.
 *
 * <pre>{@code
 * double auc = RocAuc.binary(isPositive, scores);
 * double macro = RocAuc.oneVsRest(classIndices, probabilities, ClassScores.Average.MACRO);
 * }</pre>
 */
public final class RocAuc {
  private RocAuc() {}

  /**
   * The AUC of {@code scores} for telling {@code positive} rows from the others.
   *
   * @throws IllegalArgumentException when empty, of different lengths, a score is not finite, or
   *     every row is of the same class (scikit-learn raises too)
   */
  public static double binary(boolean[] positive, double[] scores) {
    return RocCurve.of(positive, scores).auc();
  }

  /**
   * One-vs-rest AUC of class probabilities for three or more classes, as {@code
   * roc_auc_score(actual, probabilities, multi_class='ovr', average=..., labels=range(k))}.
   *
   * @param actual the true class of each row, in {@code 0..k-1}
   * @param probabilities per row, the probability of each of the {@code k} classes; each row sums
   *     to 1 within scikit-learn's {@code np.allclose} tolerance
   * @throws IllegalArgumentException when empty, of different lengths, ragged, not finite, fewer
   *     than three classes, a row does not sum to 1, or a class has no rows (its AUC is undefined)
   */
  public static double oneVsRest(
      int[] actual, double[][] probabilities, ClassScores.Average average) {
    MetricInputs.requireSameNonEmpty(
        "actual", actual.length, "probabilities", probabilities.length);
    int k = probabilities[0] == null ? 0 : probabilities[0].length;
    if (k < 3) {
      throw new IllegalArgumentException(
          "One-vs-rest ROC AUC needs three or more classes but 'probabilities' has "
              + k
              + " columns; for two, use binary() with the second column");
    }
    MetricInputs.requireFiniteRows("probabilities", probabilities, k);
    MetricInputs.requireClassIndices("actual", actual, k);
    int n = actual.length;
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (double p : probabilities[i]) {
        sum += p;
      }
      // numpy's allclose(1, sum): |1 - sum| <= atol + rtol * |sum|.
      if (!(Math.abs(1 - sum) <= 1e-8 + 1e-5 * Math.abs(sum))) {
        throw new IllegalArgumentException(
            "Row "
                + i
                + " of 'probabilities' sums to "
                + sum
                + ": one-vs-rest ROC AUC needs class probabilities that sum to 1");
      }
    }
    long[] support = new long[k];
    for (int a : actual) {
      support[a]++;
    }
    List<Integer> absent = new ArrayList<>();
    for (int c = 0; c < k; c++) {
      if (support[c] == 0) {
        absent.add(c);
      }
    }
    if (!absent.isEmpty()) {
      throw new IllegalArgumentException(
          "One-vs-rest ROC AUC is undefined for class(es) "
              + absent
              + ", which have no rows in 'actual' (scikit-learn: only one class present in"
              + " y_true)");
    }
    if (average == ClassScores.Average.MICRO) {
      boolean[] positive = new boolean[n * k];
      double[] scores = new double[n * k];
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < k; c++) {
          positive[i * k + c] = actual[i] == c;
          scores[i * k + c] = probabilities[i][c];
        }
      }
      return binary(positive, scores);
    }
    double sum = 0;
    double weights = 0;
    for (int c = 0; c < k; c++) {
      double auc = binary(oneVsRestLabels(actual, c), column(probabilities, c));
      double w = average == ClassScores.Average.WEIGHTED ? support[c] : 1;
      sum += auc * w;
      weights += w;
    }
    return sum / weights;
  }

  /** Whether each row is of class {@code c}. */
  static boolean[] oneVsRestLabels(int[] actual, int c) {
    boolean[] positive = new boolean[actual.length];
    for (int i = 0; i < actual.length; i++) {
      positive[i] = actual[i] == c;
    }
    return positive;
  }

  /** Column {@code c} of {@code rows}. */
  static double[] column(double[][] rows, int c) {
    double[] column = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      column[i] = rows[i][c];
    }
    return column;
  }
}
