package dev.lifecycle.activities.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores a trained model on a held-out dataset: predicts every row in batches, computes the task's
 * metrics ({@link RegressionMetrics}, {@link ClassificationMetrics}) and stores a JSON report with
 * them, the row count, and the residual distribution (regression) or confusion matrix
 * (classification).
 */
public final class EvaluationActivitiesImpl implements EvaluationActivities {
  private static final Logger log = LoggerFactory.getLogger(EvaluationActivitiesImpl.class);
  private static final int BATCH_ROWS = 4096;
  private static final double[] QUANTILES = {0.05, 0.25, 0.5, 0.75, 0.95};
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
            ParquetDataset.openStreaming(artifacts.resolve(task.artifact("dataset")), description)) {
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
      String summary;
      if (metadata.task() == Task.REGRESSION) {
        summary = regression(model, data, label, report, result);
      } else {
        summary = classification(model, data, label, report, result, description);
      }
      ArtifactRef ref = storeReport(report);
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
      StepResult.Builder result) {
    DoubleList actual = new DoubleList();
    DoubleList predicted = new DoubleList();
    try (ParquetDataset.Batches batches =
        data.batches(model.metadata().featureColumns(), label, BATCH_ROWS)) {
      while (batches.next()) {
        float[] p = model.predict(batches.features(), batches.size());
        for (int i = 0; i < batches.size(); i++) {
          actual.add(Double.parseDouble(batches.extras()[i]));
          predicted.add(p[i]);
        }
      }
    }
    requireRows(actual.size(), data);
    RegressionMetrics metrics = RegressionMetrics.of(actual.toArray(), predicted.toArray());
    metrics.asMap().forEach(result::metric);
    double[] residuals = new double[actual.size()];
    for (int i = 0; i < residuals.length; i++) {
      residuals[i] = actual.get(i) - predicted.get(i);
    }
    report.put("rows", metrics.count());
    report.put("metrics", metrics.asMap());
    report.put("residuals", residualSummary(residuals));
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
        float[] p = model.predict(batches.features(), batches.size());
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
    ClassificationMetrics metrics =
        ClassificationMetrics.of(
            actual.stream().mapToInt(Integer::intValue).toArray(),
            probabilities.toArray(new double[0][]));
    metrics.asMap().forEach(result::metric);
    report.put("rows", metrics.count());
    report.put("metrics", metrics.asMap());
    report.put("classes", classes);
    report.put("confusion", metrics.confusion());
    return String.format(
        Locale.ROOT,
        "accuracy %.2f, f1 %.2f, log loss %.2f on %,d rows",
        metrics.accuracy(),
        metrics.f1(),
        metrics.logLoss(),
        metrics.count());
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

  private ArtifactRef storeReport(Map<String, Object> report) {
    Path dir = artifacts.scratch("report");
    Path file = dir.resolve("report.json");
    try {
      Files.writeString(file, JSON.writeValueAsString(report) + "\n");
      return artifacts.put(file, ValueType.REPORT, "json");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the evaluation report", e);
    } finally {
      try {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
      } catch (IOException e) {
        log.warn("Cannot delete scratch {}: {}", dir, e.getMessage());
      }
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

    double get(int i) {
      return values[i];
    }

    int size() {
      return size;
    }

    double[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
