package dev.lifecycle.activities.evaluation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Counts of actual class (rows) by predicted class (columns), as scikit-learn's {@code
 * confusion_matrix}, with each label's one-vs-rest counts as {@code multilabel_confusion_matrix}.
 *
 * <p>Without explicit labels, the labels are the sorted union of the actual and predicted values
 * (scikit-learn's {@code unique_labels}). With explicit labels, rows and columns follow their order
 * and, as in scikit-learn, rows whose actual or predicted value is not among them are left out of
 * the matrix; the one-vs-rest counts and {@link #accuracy()} still see every row, as scikit-learn's
 * {@code precision_recall_fscore_support(labels=...)} and {@code accuracy_score} do.
 *
 * <pre>{@code
 * ConfusionMatrix m =
 *     ConfusionMatrix.of(List.of("cat", "dog", "cat"), List.of("cat", "cat", "cat"));
 * m.count(0, 0); // 2: actual cat, predicted cat
 * ClassScores.of(m).macroF1();
 * }</pre>
 */
public final class ConfusionMatrix {
  private final List<String> labels;
  private final long[][] counts;
  private final long[] truePositives;
  private final long[] predicted;
  private final long[] actual;
  private final long rows;
  private final long correct;

  private ConfusionMatrix(
      List<String> labels,
      long[][] counts,
      long[] truePositives,
      long[] predicted,
      long[] actual,
      long rows,
      long correct) {
    this.labels = List.copyOf(labels);
    this.counts = counts;
    this.truePositives = truePositives;
    this.predicted = predicted;
    this.actual = actual;
    this.rows = rows;
    this.correct = correct;
  }

  /** Over the sorted union of the class values in {@code actual} and {@code predicted}. */
  public static ConfusionMatrix of(int[] actual, int[] predicted) {
    return of(boxed(actual), boxed(predicted));
  }

  /** Over {@code labels}, in that order. */
  public static ConfusionMatrix of(int[] actual, int[] predicted, int[] labels) {
    return of(boxed(actual), boxed(predicted), boxed(labels));
  }

  /**
   * Over the model's classes: {@code actual} and {@code predicted} are indices into {@code
   * classes}, whose names label the rows and columns.
   *
   * @throws IllegalArgumentException when empty, of different lengths, or an index is out of range
   */
  public static ConfusionMatrix ofClassIndices(
      int[] actual, int[] predicted, List<String> classes) {
    MetricInputs.requireSameNonEmpty("actual", actual.length, "predicted", predicted.length);
    if (classes.isEmpty()) {
      throw new IllegalArgumentException("'classes' is empty: name at least one class");
    }
    MetricInputs.requireClassIndices("actual", actual, classes.size());
    MetricInputs.requireClassIndices("predicted", predicted, classes.size());
    long correct = 0;
    for (int i = 0; i < actual.length; i++) {
      correct += actual[i] == predicted[i] ? 1 : 0;
    }
    return count(actual, predicted, List.copyOf(classes), correct);
  }

  /** Over the sorted union of the values in {@code actual} and {@code predicted}. */
  public static <L extends Comparable<? super L>> ConfusionMatrix of(
      List<L> actual, List<L> predicted) {
    MetricInputs.requireSameNonEmpty("actual", actual.size(), "predicted", predicted.size());
    TreeSet<L> union = new TreeSet<>();
    addAll(union, actual, "actual");
    addAll(union, predicted, "predicted");
    return of(actual, predicted, new ArrayList<>(union));
  }

  /**
   * Over {@code labels}, in that order.
   *
   * @throws IllegalArgumentException when an input is empty, the inputs differ in length, a label
   *     repeats, or no label occurs in {@code actual} (as scikit-learn's {@code confusion_matrix})
   */
  public static <L> ConfusionMatrix of(List<L> actual, List<L> predicted, List<L> labels) {
    MetricInputs.requireSameNonEmpty("actual", actual.size(), "predicted", predicted.size());
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("'labels' is empty: name at least one label");
    }
    Map<L, Integer> index = new HashMap<>();
    for (L label : labels) {
      if (label == null) {
        throw new IllegalArgumentException("'labels' holds null");
      }
      if (index.putIfAbsent(label, index.size()) != null) {
        throw new IllegalArgumentException("'labels' lists '" + label + "' twice");
      }
    }
    int outside = labels.size();
    int[] a = new int[actual.size()];
    int[] p = new int[predicted.size()];
    boolean anyActual = false;
    long correct = 0;
    for (int i = 0; i < a.length; i++) {
      L actualValue = requireLabel(actual.get(i), "actual", i);
      L predictedValue = requireLabel(predicted.get(i), "predicted", i);
      a[i] = index.getOrDefault(actualValue, outside);
      p[i] = index.getOrDefault(predictedValue, outside);
      anyActual |= a[i] != outside;
      correct += actualValue.equals(predictedValue) ? 1 : 0;
    }
    if (!anyActual) {
      throw new IllegalArgumentException(
          "None of the labels " + labels + " occurs in 'actual': at least one must");
    }
    List<String> names = labels.stream().map(String::valueOf).toList();
    return count(a, p, names, correct);
  }

  /**
   * Values equal to {@code labels.size()} stand for "not among the labels"; {@code correct} counts
   * the rows whose original values are equal, whatever the labels.
   */
  private static ConfusionMatrix count(int[] a, int[] p, List<String> labels, long correct) {
    int k = labels.size();
    long[][] counts = new long[k][k];
    long[] tp = new long[k];
    long[] predicted = new long[k];
    long[] actual = new long[k];
    for (int i = 0; i < a.length; i++) {
      boolean knownActual = a[i] < k;
      boolean knownPredicted = p[i] < k;
      if (knownActual) {
        actual[a[i]]++;
      }
      if (knownPredicted) {
        predicted[p[i]]++;
      }
      if (knownActual && knownPredicted) {
        counts[a[i]][p[i]]++;
      }
      if (knownActual && a[i] == p[i]) {
        tp[a[i]]++;
      }
    }
    return new ConfusionMatrix(labels, counts, tp, predicted, actual, a.length, correct);
  }

  private static <L> L requireLabel(L value, String name, int row) {
    if (value == null) {
      throw new IllegalArgumentException("Row " + row + " of '" + name + "' is null");
    }
    if (value instanceof Double d && d.isNaN() || value instanceof Float f && f.isNaN()) {
      throw new IllegalArgumentException("Row " + row + " of '" + name + "' is NaN");
    }
    return value;
  }

  private static <L> void addAll(TreeSet<L> union, List<L> values, String name) {
    for (int i = 0; i < values.size(); i++) {
      union.add(requireLabel(values.get(i), name, i));
    }
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }

  /** The row and column labels, in order. */
  public List<String> labels() {
    return labels;
  }

  /** The number of labels. */
  public int size() {
    return labels.size();
  }

  /** Rows of actual class {@code actual} predicted as class {@code predicted}. */
  public long count(int actual, int predicted) {
    return counts[actual][predicted];
  }

  /** A copy of the matrix, actual class by predicted class. */
  public long[][] counts() {
    long[][] copy = new long[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      copy[i] = counts[i].clone();
    }
    return copy;
  }

  /** Every row scored, including those outside explicit labels. */
  public long rows() {
    return rows;
  }

  /** The share of rows whose prediction equals the actual value ({@code accuracy_score}). */
  public double accuracy() {
    return (double) correct / rows;
  }

  /** Rows of class {@code label} predicted as that class. */
  public long truePositives(int label) {
    return truePositives[label];
  }

  /** Rows of another class predicted as class {@code label}. */
  public long falsePositives(int label) {
    return predicted[label] - truePositives[label];
  }

  /** Rows of class {@code label} predicted as another class. */
  public long falseNegatives(int label) {
    return actual[label] - truePositives[label];
  }

  /** Rows neither of class {@code label} nor predicted as it. */
  public long trueNegatives(int label) {
    return rows - actual[label] - predicted[label] + truePositives[label];
  }

  /** Rows of class {@code label} (scikit-learn's {@code support}). */
  public long support(int label) {
    return actual[label];
  }

  /** Rows predicted as class {@code label}. */
  public long predicted(int label) {
    return predicted[label];
  }
}
