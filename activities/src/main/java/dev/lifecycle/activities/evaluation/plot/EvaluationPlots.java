package dev.lifecycle.activities.evaluation.plot;

import dev.lifecycle.activities.evaluation.ConfusionMatrix;
import dev.lifecycle.activities.evaluation.PrecisionRecallCurve;
import dev.lifecycle.activities.evaluation.RocCurve;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The charts of an evaluation report as standalone SVG documents: ROC and precision-recall curves,
 * the confusion matrix as a heat map, and for regression the residuals and predicted-against-actual
 * scatter plots (at most {@link #MAX_POINTS} points, evenly spaced over the rows, so the same
 * evaluation always draws the same points).
 *
 * <pre>{@code
 * String svg =
 *     EvaluationPlots.roc(List.of(new EvaluationPlots.Named<>("yes", roc)), "positive: yes");
 * }</pre>
 */
public final class EvaluationPlots {
  /** The most points a scatter plot draws. */
  public static final int MAX_POINTS = 2_000;

  /** matplotlib's "tab10", which stays distinguishable for most colour-blind readers. */
  private static final String[] PALETTE = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
  };

  private static final String REFERENCE = "#9ca3af";

  /**
   * A curve with the name the legend gives it.
   *
   * @param name e.g. the class it tells from the others
   * @param curve the curve
   */
  public record Named<T>(String name, T curve) {
    public Named {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(curve, "curve");
    }
  }

  private EvaluationPlots() {}

  /** ROC curves with their AUC in the legend, over the chance diagonal. */
  public static String roc(List<Named<RocCurve>> curves, String subtitle) {
    XyChart chart =
        new XyChart("ROC curve", subtitle, "False positive rate", "True positive rate")
            .xRange(0, 1)
            .yRange(0, 1)
            .legend(XyChart.Corner.LOWER_RIGHT);
    chart.reference("Chance (AUC = 0.500)", 1, 0, REFERENCE);
    for (int i = 0; i < curves.size(); i++) {
      Named<RocCurve> c = curves.get(i);
      chart.line(
          String.format(Locale.ROOT, "%s (AUC = %.3f)", c.name(), c.curve().auc()),
          c.curve().falsePositiveRates(),
          c.curve().truePositiveRates(),
          colour(i),
          false);
    }
    return chart.render();
  }

  /**
   * Precision-recall curves as steps, with their average precision in the legend; {@code
   * prevalence}, when not NaN, draws the precision of guessing as a dashed line.
   */
  public static String precisionRecall(
      List<Named<PrecisionRecallCurve>> curves, double prevalence, String subtitle) {
    XyChart chart =
        new XyChart("Precision-recall curve", subtitle, "Recall", "Precision")
            .xRange(0, 1)
            .yRange(0, 1.02)
            .legend(XyChart.Corner.LOWER_LEFT);
    if (!Double.isNaN(prevalence)) {
      chart.reference(
          String.format(Locale.ROOT, "Chance (AP = %.3f)", prevalence), 0, prevalence, REFERENCE);
    }
    for (int i = 0; i < curves.size(); i++) {
      Named<PrecisionRecallCurve> c = curves.get(i);
      chart.steps(
          String.format(Locale.ROOT, "%s (AP = %.3f)", c.name(), c.curve().averagePrecision()),
          c.curve().recalls(),
          c.curve().precisions(),
          colour(i));
    }
    return chart.render();
  }

  /** The confusion matrix as a heat map with counts in the cells. */
  public static String confusionMatrix(ConfusionMatrix matrix) {
    String subtitle =
        String.format(Locale.ROOT, "%,d rows · accuracy %.3f", matrix.rows(), matrix.accuracy());
    return HeatMap.render("Confusion matrix", subtitle, matrix.labels(), matrix.counts());
  }

  /** Residuals ({@code actual - predicted}) against the prediction, around a zero line. */
  public static String residuals(double[] actual, double[] predicted, String label) {
    int[] rows = sample(actual.length, predicted.length);
    double[] x = new double[rows.length];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = predicted[rows[i]];
      y[i] = actual[rows[i]] - predicted[rows[i]];
    }
    return new XyChart(
            "Residuals",
            shown(rows.length, actual.length),
            "Predicted " + label,
            "Residual (actual − predicted)")
        .legend(XyChart.Corner.UPPER_RIGHT)
        .reference("Zero residual", 0, 0, REFERENCE)
        .points(null, x, y, PALETTE[0])
        .render();
  }

  /**
   * A training run's learning curves: training loss and, when given, validation loss per epoch
   * ({@code validationLoss} may be null, or hold nulls for epochs without one).
   */
  public static String learningCurves(
      String subtitle, double[] epochs, double[] trainLoss, Double[] validationLoss) {
    XyChart chart =
        new XyChart("Learning curves", subtitle, "Epoch", "Loss")
            .legend(XyChart.Corner.UPPER_RIGHT)
            .line("Training loss", epochs, trainLoss, PALETTE[0], false);
    if (validationLoss != null) {
      int n = 0;
      for (Double v : validationLoss) {
        n += v == null ? 0 : 1;
      }
      if (n > 0) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0, j = 0; i < validationLoss.length; i++) {
          if (validationLoss[i] != null) {
            x[j] = epochs[i];
            y[j++] = validationLoss[i];
          }
        }
        chart.line("Validation loss", x, y, PALETTE[1], true);
      }
    }
    if (epochs.length == 1) {
      chart.points(null, epochs, trainLoss, PALETTE[0]);
    }
    return chart.render();
  }

  /** Predictions against actual values, around the line of perfect prediction. */
  public static String predictedVsActual(double[] actual, double[] predicted, String label) {
    int[] rows = sample(actual.length, predicted.length);
    double[] x = new double[rows.length];
    double[] y = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      x[i] = actual[rows[i]];
      y[i] = predicted[rows[i]];
    }
    return new XyChart(
            "Predicted vs actual",
            shown(rows.length, actual.length),
            "Actual " + label,
            "Predicted " + label)
        .squareRange()
        .legend(XyChart.Corner.LOWER_RIGHT)
        .reference("Perfect prediction", 1, 0, REFERENCE)
        .points(null, x, y, PALETTE[0])
        .render();
  }

  private static int[] sample(int actual, int predicted) {
    if (actual != predicted || actual == 0) {
      throw new IllegalArgumentException(
          "Cannot plot "
              + predicted
              + " predictions against "
              + actual
              + " actual values: they must be as many, and not none");
    }
    int n = Math.min(actual, MAX_POINTS);
    int[] rows = new int[n];
    for (int i = 0; i < n; i++) {
      rows[i] = (int) ((long) i * actual / n);
    }
    return rows;
  }

  private static String shown(int drawn, int rows) {
    return drawn == rows
        ? String.format(Locale.ROOT, "All %,d rows", rows)
        : String.format(Locale.ROOT, "%,d of %,d rows, evenly spaced", drawn, rows);
  }

  private static String colour(int i) {
    return PALETTE[i % PALETTE.length];
  }
}
