package dev.lifecycle.activities.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.lifecycle.activities.evaluation.ClassScores.Average;
import dev.lifecycle.activities.evaluation.plot.EvaluationPlots;
import dev.lifecycle.activities.evaluation.plot.EvaluationPlots.Named;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.EvaluationActivities;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a trained model on a held-out dataset: predicts every row in batches, computes the task's
 * metrics ({@link RegressionMetrics}; {@link ClassificationMetrics} and {@link RocAuc}) and stores
 * a report directory ({@value #REPORT_FORMAT}): {@code report.json} with the metrics, per-class
 * scores, the residual distribution or confusion matrix, and the list of its charts, plus the
 * charts as SVG files ({@link EvaluationPlots}).
 *
 * <p>Only the task's metrics ({@code Task.metrics()}) travel in the step result; per-class scores
 * stay in the report to keep workflow payloads small.
 */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
  private static final Logger log = LoggerFactory.getLogger(EvaluationActivitiesImpl.class);
  private static final int BATCH_ROWS = 4096;
  private static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};

  /**
   * The artifact format of the report: a directory holding {@value #REPORT_FILE} and SVG charts.
   */
  public static final String REPORT_FORMAT = "report-dir";

  /** The report's index inside the directory; its {@code plots} list names the chart files. */
  public static final String REPORT_FILE = "report.json";

  private static final ObjectMapper JSON =
      PlanJson.newMapper(false).enable(SerializationFeature.INDENT_OUTPUT);

  private final ArtifactStore artifacts;

  public EvaluationActivitiesImpl(ArtifactStore artifacts) {
    this.artifacts = artifacts;
  }

  @Override
  public StepResult evaluate(StepTask task) {
    if (!(task.step() instanceof Evaluate step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not an evaluate step", FailureTypes.INVALID_PLAN);
    }
    String description = "dataset 'dataset' of step '" + step.name() + "'";
    try (ModelBundle model = ModelBundle.load(artifacts.resolve(task.artifact("model")));
        ParquetDataset data =
            ParquetDataset.openStreaming(
                artifacts.resolve(task.artifact("dataset")), description)) {
      ModelMetadata metadata = model.metadata();
      String label = checkPlan(step, metadata);
      model.requireColumns(data.columnNames(), description);
      data.column(label);
      List<String> features = metadata.featureColumns();
      data.requireNumeric(features);
      if (metadata.task() == Task.REGRESSION) {
        data.requireNumeric(List.of(label));
      }
      List<String> checked = new ArrayList<>(features);
      checked.add(label);
      data.requireNoNulls(checked);

      Map<String, Object> report = new LinkedHashMap<>();
      report.put("step", step.name());
      report.put("task", metadata.task().name());
      report.put("label", label);
      report.put("model", task.artifact("model").sha256());
      report.put("dataset", task.artifact("dataset").sha256());
      StepResult.Builder result = StepResult.builder();
      Map<String, String> plots = new LinkedHashMap<>();
      String summary;
      try {
        if (metadata.task() == Task.REGRESSION) {
          summary = regression(model, data, label, report, result, plots);
        } else {
          summary = classification(model, data, label, report, result, plots, description);
        }
      } catch (IllegalArgumentException e) {
        // The metrics refuse undefined values (one class only, NaN predictions): the data decides.
        throw ApplicationFailure.newNonRetryableFailure(
            "Step '" + step.name() + "' cannot score " + description + ": " + e.getMessage(),
            FailureTypes.INVALID_DATA);
      }
      ArtifactRef ref = storeReport(report, plots);
      return result.artifact("report", ref).summary(summary).build();
    }
  }

  private static String checkPlan(Evaluate step, ModelMetadata metadata) {
    if (step.task() != metadata.task()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "' evaluates a "
              + step.task().name().toLowerCase(Locale.ROOT)
              + " but the model is a "
              + metadata.task().name().toLowerCase(Locale.ROOT)
              + " model: set the same task as its train step",
          FailureTypes.INVALID_PLAN);
    }
    String label = step.label() == null ? metadata.label() : step.label();
    if (!label.equals(metadata.label())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "' scores label '"
              + label
              + "' but the model predicts '"
              + metadata.label()
              + "'",
          FailureTypes.INVALID_PLAN);
    }
    return label;
  }

  private static String regression(
      ModelBundle model,
      ParquetDataset data,
      String label,
      Map<String, Object> report,
      StepResult.Builder result,
      Map<String, String> plots) {
    DoubleList actual = new DoubleList();
    DoubleList predicted = new DoubleList();
    try (ParquetDataset.Batches batches =
        data.batches(model.metadata().featureColumns(), label, BATCH_ROWS)) {
      while (batches.next()) {
        float[] p = model.predict(batches.features(), batches.size(), data.description());
        for (int i = 0; i < batches.size(); i++) {
          actual.add(Double.parseDouble(batches.extras()[i]));
          predicted.add(p[i]);
        }
      }
    }
    requireRows(actual.size(), data);
    if (actual.size() < 2) {
      throw ApplicationFailure.newNonRetryableFailure(
          data.description() + " has a single row: R² is undefined on fewer than two",
          FailureTypes.INVALID_DATA);
    }
    double[] y = actual.toArray();
    double[] p = predicted.toArray();
    RegressionMetrics metrics = RegressionMetrics.of(y, p);
    metrics.asMap().forEach(result::metric);
    double[] residuals = new double[y.length];
    for (int i = 0; i < residuals.length; i++) {
      residuals[i] = y[i] - p[i];
    }
    report.put("rows", metrics.count());
    report.put("metrics", metrics.asMap());
    report.put("residuals", residualSummary(residuals));
    plots.put("residuals.svg", EvaluationPlots.residuals(y, p, label));
    plots.put("predicted_vs_actual.svg", EvaluationPlots.predictedVsActual(y, p, label));
    return String.format(
        Locale.ROOT,
        "rmse %.2f, mae %.2f, r2 %.2f on %,d rows",
        metrics.rmse(),
        metrics.mae(),
        metrics.r2(),
        metrics.count());
  }

  private static String classification(
      ModelBundle model,
      ParquetDataset data,
      String label,
      Map<String, Object> report,
      StepResult.Builder result,
      Map<String, String> plots,
      String description) {
    List<String> classes = model.metadata().classes();
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < classes.size(); i++) {
      index.put(classes.get(i), i);
    }
    int k = classes.size();
    List<Integer> actual = new ArrayList<>();
    List<double[]> probabilities = new ArrayList<>();
    try (ParquetDataset.Batches batches =
        data.batches(model.metadata().featureColumns(), label, BATCH_ROWS)) {
      while (batches.next()) {
        float[] p = model.predict(batches.features(), batches.size(), data.description());
        for (int i = 0; i < batches.size(); i++) {
          String value = batches.extras()[i];
          Integer c = index.get(value);
          if (c == null) {
            throw ApplicationFailure.newNonRetryableFailure(
                "Label '"
                    + label
                    + "' of "
                    + description
                    + " has class '"
                    + value
                    + "' at row "
                    + (batches.offset() + i)
                    + " that the model never saw; its classes are "
                    + classes,
                FailureTypes.INVALID_DATA);
          }
          actual.add(c);
          double[] row = new double[k];
          for (int j = 0; j < k; j++) {
            row[j] = p[i * k + j];
          }
          probabilities.add(row);
        }
      }
    }
    requireRows(actual.size(), data);
    int[] y = actual.stream().mapToInt(Integer::intValue).toArray();
    double[][] p = probabilities.toArray(new double[0][]);
    ClassificationMetrics metrics = ClassificationMetrics.of(y, p);
    int[] predicted = ClassificationMetrics.argmax(p);
    requireEveryClass(y, classes, description);
    double rocAuc;
    Map<String, Object> auc = new LinkedHashMap<>();
    List<Named<RocCurve>> rocs = new ArrayList<>();
    List<Named<PrecisionRecallCurve>> prs = new ArrayList<>();
    double prevalence = Double.NaN;
    String positiveNote;
    if (k == 2) {
      // scikit-learn's binary convention: the second of the sorted classes is the positive one.
      boolean[] positive = RocAuc.oneVsRestLabels(y, 1);
      double[] scores = RocAuc.column(p, 1);
      RocCurve roc = RocCurve.of(positive, scores);
      PrecisionRecallCurve pr = PrecisionRecallCurve.of(positive, scores);
      rocAuc = roc.auc();
      auc.put("positive_class", classes.get(1));
      auc.put("roc_auc", rocAuc);
      auc.put("average_precision", pr.averagePrecision());
      rocs.add(new Named<>(classes.get(1), roc));
      prs.add(new Named<>(classes.get(1), pr));
      prevalence = (double) count(y, 1) / y.length;
      positiveNote = "Positive class '" + classes.get(1) + "', scored by its probability";
    } else {
      rocAuc = RocAuc.oneVsRest(y, p, Average.MACRO);
      auc.put("roc_auc_ovr_macro", rocAuc);
      auc.put("roc_auc_ovr_weighted", RocAuc.oneVsRest(y, p, Average.WEIGHTED));
      auc.put("roc_auc_ovr_micro", RocAuc.oneVsRest(y, p, Average.MICRO));
      Map<String, Double> perClass = new LinkedHashMap<>();
      Map<String, Double> averagePrecision = new LinkedHashMap<>();
      for (int c = 0; c < k; c++) {
        boolean[] positive = RocAuc.oneVsRestLabels(y, c);
        double[] scores = RocAuc.column(p, c);
        RocCurve roc = RocCurve.of(positive, scores);
        PrecisionRecallCurve pr = PrecisionRecallCurve.of(positive, scores);
        perClass.put(classes.get(c), roc.auc());
        averagePrecision.put(classes.get(c), pr.averagePrecision());
        rocs.add(new Named<>(classes.get(c), roc));
        prs.add(new Named<>(classes.get(c), pr));
      }
      auc.put("roc_auc_per_class", perClass);
      auc.put("average_precision_per_class", averagePrecision);
      positiveNote =
          String.format(Locale.ROOT, "One class against the rest · macro AUC %.3f", rocAuc);
    }
    Map<String, Double> stepMetrics = new LinkedHashMap<>(metrics.asMap());
    stepMetrics.put("roc_auc", rocAuc);
    stepMetrics.forEach(result::metric);

    ConfusionMatrix matrix = ConfusionMatrix.ofClassIndices(y, predicted, classes);
    ClassScores perClass = ClassScores.of(matrix);
    // Averages over the classes present in the labels or predictions, scikit-learn's labels=None,
    // so that the report's macro figures are the step's metrics.
    ClassScores present = ClassScores.of(ConfusionMatrix.of(y, predicted));
    report.put("rows", metrics.count());
    report.put("metrics", stepMetrics);
    report.put("classes", classes);
    report.put("confusion", matrix.counts());
    report.put("per_class", perClassReport(perClass));
    report.put("averages", averagesReport(present));
    report.put("ranking", auc);
    report.put(
        "zero_division",
        Map.of(
            "value",
            0,
            "undefined",
            perClass.undefined(),
            "note",
            "Ratios with a zero denominator count as 0, scikit-learn 1.2's default"));
    plots.put("roc.svg", EvaluationPlots.roc(rocs, positiveNote));
    plots.put(
        "precision_recall.svg", EvaluationPlots.precisionRecall(prs, prevalence, positiveNote));
    plots.put("confusion_matrix.svg", EvaluationPlots.confusionMatrix(matrix));
    return String.format(
        Locale.ROOT,
        "accuracy %.2f, f1 %.2f, roc auc %.2f, log loss %.2f on %,d rows",
        metrics.accuracy(),
        metrics.f1(),
        rocAuc,
        metrics.logLoss(),
        metrics.count());
  }

  /**
   * ROC AUC, a step metric, is undefined for a class without rows (scikit-learn raises): say which
   * classes the test set lacks rather than fail inside the metric.
   */
  private static void requireEveryClass(int[] actual, List<String> classes, String description) {
    List<String> absent = new ArrayList<>();
    for (int c = 0; c < classes.size(); c++) {
      if (count(actual, c) == 0) {
        absent.add(classes.get(c));
      }
    }
    if (!absent.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          description
              + " has no rows of class(es) "
              + absent
              + " of the model's "
              + classes
              + ": ROC AUC and their recall are undefined. Evaluate on a test set holding every"
              + " class (a larger test share, or another split seed)",
          FailureTypes.INVALID_DATA);
    }
  }

  private static long count(int[] values, int value) {
    long n = 0;
    for (int v : values) {
      n += v == value ? 1 : 0;
    }
    return n;
  }

  private static Map<String, Object> perClassReport(ClassScores scores) {
    Map<String, Object> perClass = new LinkedHashMap<>();
    for (int c = 0; c < scores.labels().size(); c++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("precision", scores.precision(c));
      row.put("recall", scores.recall(c));
      row.put("f1", scores.f1(c));
      row.put("false_positive_rate", scores.falsePositiveRate(c));
      row.put("true_negative_rate", scores.trueNegativeRate(c));
      row.put("support", scores.support(c));
      perClass.put(scores.labels().get(c), row);
    }
    return perClass;
  }

  private static Map<String, Object> averagesReport(ClassScores scores) {
    Map<String, Object> averages = new LinkedHashMap<>();
    for (Average average : Average.values()) {
      Map<String, Double> row = new LinkedHashMap<>();
      row.put("precision", scores.precision(average));
      row.put("recall", scores.recall(average));
      row.put("f1", scores.f1(average));
      averages.put(average.name().toLowerCase(Locale.ROOT), row);
    }
    averages.put("macro_false_positive_rate", scores.macroFalsePositiveRate());
    averages.put("macro_true_negative_rate", scores.macroTrueNegativeRate());
    return averages;
  }

  private static void requireRows(int rows, ParquetDataset data) {
    if (rows == 0) {
      throw ApplicationFailure.newNonRetryableFailure(
          data.description() + " has no rows to evaluate on", FailureTypes.INVALID_DATA);
    }
  }

  /**
   * Mean, population standard deviation, extremes and quantiles (linear interpolation, numpy's
   * default) of {@code label - prediction}.
   */
  static Map<String, Object> residualSummary(double[] residuals) {
    double[] sorted = residuals.clone();
    Arrays.sort(sorted);
    double mean = 0;
    for (double r : sorted) {
      mean += r;
    }
    mean /= sorted.length;
    double variance = 0;
    for (double r : sorted) {
      variance += (r - mean) * (r - mean);
    }
    variance /= sorted.length;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("mean", mean);
    summary.put("std", Math.sqrt(variance));
    summary.put("min", sorted[0]);
    summary.put("max", sorted[sorted.length - 1]);
    Map<String, Double> quantiles = new LinkedHashMap<>();
    for (double q : QUANTILES) {
      quantiles.put(String.format(Locale.ROOT, "p%02d", Math.round(q * 100)), quantile(sorted, q));
    }
    summary.put("quantiles", quantiles);
    return summary;
  }

  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  }

  private ArtifactRef storeReport(Map<String, Object> report, Map<String, String> plots) {
    Path dir = artifacts.scratch("report");
    try {
      List<Map<String, String>> index = new ArrayList<>();
      for (Map.Entry<String, String> plot : plots.entrySet()) {
        Files.writeString(
            dir.resolve(plot.getKey()), plot.getValue(), StandardOpenOption.CREATE_NEW);
        index.add(Map.of("file", plot.getKey(), "title", title(plot.getValue())));
      }
      report.put("plots", index);
      Files.writeString(dir.resolve(REPORT_FILE), JSON.writeValueAsString(report) + "\n");
      return artifacts.put(dir, ValueType.REPORT, REPORT_FORMAT);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the evaluation report in " + dir, e);
    } finally {
      deleteScratch(dir);
    }
  }

  /** The chart's {@code <title>}, which every SVG from {@link EvaluationPlots} has. */
  private static String title(String svg) {
    int start = svg.indexOf("<title>") + "<title>".length();
    return svg.substring(start, svg.indexOf("</title>", start));
  }

  private static void deleteScratch(Path dir) {
    // put() moves the scratch directory into the store; this only cleans up after a failure.
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path path : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      log.warn("Cannot delete scratch {}: {}", dir, e.getMessage());
    }
  }

  /** A growable array of doubles, to avoid boxing every prediction. */
  private static final class DoubleList {
    private double[] values = new double[1024];
    private int size;

    void add(double value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
