package dev.lifecycle.activities.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Precision, recall and F1 per class and averaged, as scikit-learn 1.2's {@code
 * precision_recall_fscore_support}, plus each class's one-vs-rest false positive rate {@code fp /
 * (fp + tn)} and true negative rate {@code tn / (fp + tn)}.
 *
 * <p>A ratio whose denominator is zero (precision of a class never predicted, recall of a class
 * absent from the labels, a rate of a class every row belongs to) takes the {@link ZeroDivision}
 * value; scikit-learn's default {@code zero_division="warn"} uses 0 and warns, which here is {@link
 * ZeroDivision#ZERO} with the ill-defined ratios listed by {@link #undefined()}. F1 is computed
 * from the substituted precision and recall, and is 0 when both are 0, as in scikit-learn.
 *
 * <pre>{@code
 * ClassScores s = ClassScores.of(ConfusionMatrix.of(actual, predicted));
 * s.macroF1();
 * s.f1(2); // F1 of the third label
 * }</pre>
 */
public final class ClassScores {
  /** The value of a ratio whose denominator is zero. */
  public enum ZeroDivision {
    /** 0, scikit-learn's default ({@code "warn"} and {@code 0}). */
    ZERO(0.0),
    /** 1, scikit-learn's {@code zero_division=1}. */
    ONE(1.0);

    private final double value;

    ZeroDivision(double value) {
      this.value = value;
    }

    /** The substituted value. */
    public double value() {
      return value;
    }
  }

  /** How per-class scores are averaged. */
  public enum Average {
    /** Unweighted mean over the labels. */
    MACRO,
    /** From the counts summed over the labels. */
    MICRO,
    /** Mean weighted by each label's support. */
    WEIGHTED
  }

  private final ConfusionMatrix matrix;
  private final ZeroDivision zeroDivision;
  private final double[] precision;
  private final double[] recall;
  private final double[] f1;
  private final double[] falsePositiveRate;
  private final double[] trueNegativeRate;
  private final List<String> undefined = new ArrayList<>();

  private ClassScores(ConfusionMatrix matrix, ZeroDivision zeroDivision) {
    this.matrix = matrix;
    this.zeroDivision = zeroDivision;
    int k = matrix.size();
    precision = new double[k];
    recall = new double[k];
    f1 = new double[k];
    falsePositiveRate = new double[k];
    trueNegativeRate = new double[k];
    for (int c = 0; c < k; c++) {
      String label = "'" + matrix.labels().get(c) + "'";
      long tp = matrix.truePositives(c);
      long fp = matrix.falsePositives(c);
      long tn = matrix.trueNegatives(c);
      precision[c] =
          divide(tp, matrix.predicted(c), "precision of " + label + " (never predicted)");
      recall[c] = divide(tp, matrix.support(c), "recall of " + label + " (no rows of that class)");
      f1[c] = f1(precision[c], recall[c]);
      String rest = " of " + label + " (every row is of that class)";
      falsePositiveRate[c] = divide(fp, fp + tn, "false positive rate" + rest);
      trueNegativeRate[c] = divide(tn, fp + tn, "true negative rate" + rest);
    }
  }

  /** With scikit-learn's default {@code zero_division}: 0. */
  public static ClassScores of(ConfusionMatrix matrix) {
    return of(matrix, ZeroDivision.ZERO);
  }

  /** With the given value for ratios whose denominator is zero. */
  public static ClassScores of(ConfusionMatrix matrix, ZeroDivision zeroDivision) {
    return new ClassScores(matrix, zeroDivision);
  }

  private double divide(long numerator, long denominator, String whatIsUndefined) {
    if (denominator == 0) {
      undefined.add(whatIsUndefined);
      return zeroDivision.value();
    }
    return (double) numerator / denominator;
  }

  private static double f1(double precision, double recall) {
    double denominator = precision + recall;
    return denominator == 0 ? 0.0 : 2 * precision * recall / denominator;
  }

  /** The matrix these scores come from. */
  public ConfusionMatrix matrix() {
    return matrix;
  }

  /** The labels, in the order of the per-class arrays. */
  public List<String> labels() {
    return matrix.labels();
  }

  /**
   * The ratios that were undefined and took the zero-division value, e.g. {@code "precision of 'b'
   * (never predicted)"}: what scikit-learn's {@code UndefinedMetricWarning} would report.
   */
  public List<String> undefined() {
    return List.copyOf(undefined);
  }

  /** Precision of the label at {@code c}. */
  public double precision(int c) {
    return precision[c];
  }

  /** Recall (true positive rate) of the label at {@code c}. */
  public double recall(int c) {
    return recall[c];
  }

  /** F1 of the label at {@code c}. */
  public double f1(int c) {
    return f1[c];
  }

  /** One-vs-rest false positive rate of the label at {@code c}. */
  public double falsePositiveRate(int c) {
    return falsePositiveRate[c];
  }

  /** One-vs-rest true negative rate (specificity) of the label at {@code c}. */
  public double trueNegativeRate(int c) {
    return trueNegativeRate[c];
  }

  /** Rows of the label at {@code c}. */
  public long support(int c) {
    return matrix.support(c);
  }

  /** Precision averaged as {@code average} says. */
  public double precision(Average average) {
    return averaged(average)[0];
  }

  /** Recall averaged as {@code average} says. */
  public double recall(Average average) {
    return averaged(average)[1];
  }

  /** F1 averaged as {@code average} says. */
  public double f1(Average average) {
    return averaged(average)[2];
  }

  /** Macro-averaged false positive rate. */
  public double macroFalsePositiveRate() {
    return mean(falsePositiveRate);
  }

  /** Macro-averaged true negative rate. */
  public double macroTrueNegativeRate() {
    return mean(trueNegativeRate);
  }

  /** Shorthand for {@code f1(Average.MACRO)}. */
  public double macroF1() {
    return f1(Average.MACRO);
  }

  private double[] averaged(Average average) {
    return switch (average) {
      case MACRO -> new double[] {mean(precision), mean(recall), mean(f1)};
      case MICRO -> micro();
      case WEIGHTED -> weighted();
    };
  }

  private double[] micro() {
    long tp = 0;
    long predicted = 0;
    long actual = 0;
    for (int c = 0; c < matrix.size(); c++) {
      tp += matrix.truePositives(c);
      predicted += matrix.predicted(c);
      actual += matrix.support(c);
    }
    double p = predicted == 0 ? zeroDivision.value() : (double) tp / predicted;
    double r = actual == 0 ? zeroDivision.value() : (double) tp / actual;
    return new double[] {p, r, f1(p, r)};
  }

  private double[] weighted() {
    long total = 0;
    for (int c = 0; c < matrix.size(); c++) {
      total += matrix.support(c);
    }
    // ConfusionMatrix guarantees a row of some label, so scikit-learn's special case for a total
    // support of zero cannot arise.
    double[] sums = new double[3];
    for (int c = 0; c < matrix.size(); c++) {
      double w = matrix.support(c);
      sums[0] += precision[c] * w;
      sums[1] += recall[c] * w;
      sums[2] += f1[c] * w;
    }
    return new double[] {sums[0] / total, sums[1] / total, sums[2] / total};
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return sum / values.length;
  }
}
