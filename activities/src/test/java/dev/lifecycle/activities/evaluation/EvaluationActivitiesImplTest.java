package dev.lifecycle.activities.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.evaluation.plot.Svgs;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ParquetDataset;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.plan.Evaluate;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class EvaluationActivitiesImplTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path tmp;
  private LocalArtifactStore store;

  @BeforeEach
  void setUp() {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
  }

  private static StepTask task(Task kind, String label, ArtifactRef model, ArtifactRef dataset) {
    Evaluate step =
        new Evaluate(
            "evaluate",
            new OutputRef("train", "model"),
            new OutputRef("features", "test"),
            label,
            kind,
            null,
            null);
    return new StepTask(
        new RunInfo("wf", "run", "test", "plan", Map.of()),
        step,
        Map.of("model", model, "dataset", dataset),
        Map.of());
  }

  private JsonNode readReport(ArtifactRef ref) throws Exception {
    Path dir = store.resolve(ref);
    assertTrue(Files.isDirectory(dir), dir.toString());
    return JSON.readTree(dir.resolve(EvaluationActivitiesImpl.REPORT_FILE).toFile());
  }

  /** The report lists exactly these charts, and each is a well-formed SVG file in its directory. */
  private void assertPlots(ArtifactRef ref, JsonNode report, String... files) throws Exception {
    List<String> listed = new ArrayList<>();
    report.get("plots").forEach(p -> listed.add(p.get("file").asText()));
    assertEquals(List.of(files), listed);
    for (String file : files) {
      parse(store.resolve(ref).resolve(file));
    }
  }

  private static Document parse(Path svg) throws Exception {
    return Svgs.parse(Files.readString(svg));
  }

  @Test
  void scoresRegressionAsTheModelPredictsAndWritesAReport() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 256, 0.1, 1);
    ArtifactRef test = TestDatasets.regression(store, tmp, "test", 100, 0.1, 2);
    ArtifactRef model = TestModels.train(store, Task.REGRESSION, "y", train, 5);

    StepResult result =
        new EvaluationActivitiesImpl(store).evaluate(task(Task.REGRESSION, "y", model, test));

    double[] actual;
    double[] predicted;
    try (ModelBundle bundle = ModelBundle.load(store.resolve(model));
        ParquetDataset data = ParquetDataset.open(store.resolve(test), "test")) {
      float[] p = bundle.predict(data.readFloats(List.of("x0", "x1", "x2")));
      // Labels are scored in double precision; only features go through the network as floats.
      String[] y = data.readStrings("y");
      actual = new double[p.length];
      predicted = new double[p.length];
      for (int i = 0; i < p.length; i++) {
        actual[i] = Double.parseDouble(y[i]);
        predicted[i] = p[i];
      }
    }
    RegressionMetrics expected = RegressionMetrics.of(actual, predicted);
    assertEquals(expected.asMap(), result.metrics());
    assertEquals(
        String.format(
            java.util.Locale.ROOT,
            "rmse %.2f, mae %.2f, r2 %.2f on 100 rows",
            expected.rmse(),
            expected.mae(),
            expected.r2()),
        result.summary());

    ArtifactRef reportRef = result.artifacts().get("report");
    assertEquals(ValueType.REPORT, reportRef.type());
    assertEquals(EvaluationActivitiesImpl.REPORT_FORMAT, reportRef.format());
    JsonNode report = readReport(reportRef);
    assertEquals(100, report.get("rows").asInt());
    assertPlots(reportRef, report, "residuals.svg", "predicted_vs_actual.svg");
    Document residualPlot = parse(store.resolve(reportRef).resolve("residuals.svg"));
    assertEquals(100, Svgs.withClass(residualPlot, "circle", "point").size());
    assertEquals(expected.rmse(), report.get("metrics").get("rmse").asDouble(), 0);
    JsonNode residuals = report.get("residuals");
    assertTrue(residuals.get("min").asDouble() <= residuals.get("quantiles").get("p50").asDouble());
    assertTrue(residuals.get("quantiles").get("p95").asDouble() <= residuals.get("max").asDouble());
    assertEquals(
        expected.rmse() * expected.rmse(),
        Math.pow(residuals.get("mean").asDouble(), 2)
            + Math.pow(residuals.get("std").asDouble(), 2),
        1e-9);
  }

  @Test
  void scoresClassificationWithTheModelsClasses() throws Exception {
    ArtifactRef train = TestDatasets.classification(store, tmp, "train", 300, 1);
    ArtifactRef test = TestDatasets.classification(store, tmp, "test", 80, 2);
    ArtifactRef model = TestModels.train(store, Task.CLASSIFICATION, "kind", train, 10);

    StepResult result =
        new EvaluationActivitiesImpl(store)
            .evaluate(task(Task.CLASSIFICATION, "kind", model, test));

    assertEquals(new java.util.HashSet<>(Task.CLASSIFICATION.metrics()), result.metrics().keySet());
    assertTrue(result.metrics().get("accuracy") > 0.6, result.metrics().toString());
    assertTrue(result.metrics().get("roc_auc") > 0.8, result.metrics().toString());
    ArtifactRef reportRef = result.artifacts().get("report");
    JsonNode report = readReport(reportRef);
    assertEquals(
        result.metrics().get("roc_auc"),
        report.get("ranking").get("roc_auc_ovr_macro").asDouble(),
        0);
    assertEquals(
        result.metrics().get("f1"), report.get("averages").get("macro").get("f1").asDouble(), 0);
    long support = 0;
    for (String kind : List.of("inner", "left", "right")) {
      JsonNode row = report.get("per_class").get(kind);
      support += row.get("support").asLong();
      assertTrue(row.get("f1").asDouble() >= 0 && row.get("f1").asDouble() <= 1, kind);
    }
    assertEquals(80, support);
    assertPlots(reportRef, report, "roc.svg", "precision_recall.svg", "confusion_matrix.svg");
    Document heatMap = parse(store.resolve(reportRef).resolve("confusion_matrix.svg"));
    assertEquals(9, Svgs.withClass(heatMap, "rect", "cell").size());
    Document roc = parse(store.resolve(reportRef).resolve("roc.svg"));
    // One curve per class and the chance diagonal.
    assertEquals(4, Svgs.withClass(roc, "polyline", "series").size());
    assertEquals(
        List.of("inner", "left", "right"),
        List.of(
            report.get("classes").get(0).asText(),
            report.get("classes").get(1).asText(),
            report.get("classes").get(2).asText()));
    long total = 0;
    for (JsonNode row : report.get("confusion")) {
      for (JsonNode cell : row) {
        total += cell.asLong();
      }
    }
    assertEquals(80, total);
  }

  @Test
  void refusesATestSetMissingAClassBecauseRocAucIsUndefined() throws Exception {
    ArtifactRef train = TestDatasets.classification(store, tmp, "train", 300, 1);
    ArtifactRef model = TestModels.train(store, Task.CLASSIFICATION, "kind", train, 2);
    ArtifactRef test =
        TestDatasets.fromSql(
            store,
            tmp,
            "test",
            "SELECT i * 0.1 AS a, 1.0 AS b,"
                + " CASE WHEN i % 2 = 0 THEN 'inner' ELSE 'left' END AS kind FROM range(10) t(i)");

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () ->
                new EvaluationActivitiesImpl(store)
                    .evaluate(task(Task.CLASSIFICATION, "kind", model, test)));
    assertEquals(FailureTypes.INVALID_DATA, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("class(es) [right]"), failure.getOriginalMessage());
  }

  @Test
  void rejectsDatasetWhoseColumnsDifferFromTheModels() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 64, 0.1, 1);
    ArtifactRef model = TestModels.train(store, Task.REGRESSION, "y", train, 1);
    ArtifactRef test =
        TestDatasets.fromSql(
            store, tmp, "test", "SELECT 1.0 AS x0, 2.0 AS x1, 3.0 AS z, 4.0 AS y FROM range(5)");

    ApplicationFailure failure =
        assertThrows(
            ApplicationFailure.class,
            () ->
                new EvaluationActivitiesImpl(store)
                    .evaluate(task(Task.REGRESSION, "y", model, test)));
    assertEquals(FailureTypes.INVALID_DATA, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("missing: [x2]"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("extra: [z]"), failure.getOriginalMessage());
  }
}
