package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.monitoring.DriftReport.ModelQualityResult;
import dev.lifecycle.activities.monitoring.DriftReport.RuleResult;
import dev.lifecycle.activities.monitoring.DriftReport.Status;
import dev.lifecycle.activities.monitoring.DriftReport.Verdict;
import dev.lifecycle.activities.monitoring.DriftReport.Violation;
import dev.lifecycle.activities.monitoring.DriftReport.ViolationKind;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prediction drift, model quality against posted ground truth (concept drift) and custom SQL rules.
 * Expected metric values come from scikit-learn 1.2.1 on the same labels ({@code f1_score(...,
 * average='macro')}, {@code accuracy_score}, {@code mean_squared_error}, {@code
 * mean_absolute_error}).
 */
class QualityChecksTest {
  @TempDir static Path dir;
  static Baseline baseline;

  /** Training rows with the model's prediction (about 10 rings) beside a feature. */
  private static List<Map<String, Object>> rows(int n, long seed, double predictionShift) {
    Random random = new Random(seed);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("Length", 0.5 + 0.1 * random.nextGaussian());
      row.put("prediction", 10 + predictionShift + random.nextGaussian());
      rows.add(row);
    }
    return rows;
  }

  private static Path write(String name, List<Map<String, Object>> rows) throws Exception {
    return MonitoringTestData.writeParquet(
        dir.resolve(name),
        "Length DOUBLE, prediction DOUBLE",
        List.of("Length", "prediction"),
        rows);
  }

  @BeforeAll
  static void computeBaseline() throws Exception {
    Path training = write("train.parquet", rows(3000, 1, 0));
    Baseline computed =
        Baselines.compute(
            training,
            BaselineOptions.newBuilder()
                .optNumericDrift(List.of(new DriftCheck(DriftMethod.PSI, 0.25)))
                .build());
    baseline =
        new Baseline(
            computed.statistics(), computed.constraints().withPredictionColumn("prediction"));
  }

  private static Baseline with(BaselineConstraints constraints) {
    return new Baseline(baseline.statistics(), constraints);
  }

  /** Constraints with no feature checks, so small windows test model quality alone. */
  private static BaselineConstraints noFeatures() {
    return new BaselineConstraints(BaselineStatistics.VERSION, 10, List.of());
  }

  private static List<ViolationKind> kinds(DriftReport report) {
    return report.violations().stream().map(Violation::kind).toList();
  }

  @Test
  void shiftedPredictionsArePredictionDriftAndSteadyFeaturesAreNot() {
    DriftReport report = DriftChecker.check(baseline, rows(1000, 2, 3.0), "shifted");
    assertEquals(Status.VIOLATIONS, report.status());
    assertTrue(kinds(report).contains(ViolationKind.PREDICTION_DRIFT), kinds(report)::toString);
    assertTrue(!kinds(report).contains(ViolationKind.DRIFT), kinds(report)::toString);
    assertTrue(
        report.violations().stream()
            .filter(v -> v.kind() == ViolationKind.PREDICTION_DRIFT)
            .allMatch(v -> v.description().startsWith("Predictions ('prediction') drifted")));
    DriftReport same = DriftChecker.check(baseline, rows(1000, 3, 0), "same");
    assertTrue(
        kinds(same).stream()
            .noneMatch(k -> k == ViolationKind.PREDICTION_DRIFT || k == ViolationKind.DRIFT),
        same.violations()::toString);
  }

  private static List<Map<String, Object>> labeled(List<String> actual, List<String> predicted) {
    List<Map<String, Object>> rows = rows(actual.size(), 4, 0);
    for (int i = 0; i < actual.size(); i++) {
      rows.get(i).put("label", predicted.get(i));
      rows.get(i).put("truth", actual.get(i));
    }
    return rows;
  }

  private static final List<String> ACTUAL =
      List.of("a", "b", "c", "a", "b", "c", "a", "a", "b", "c", "c", "a");
  private static final List<String> PREDICTED =
      List.of("a", "b", "b", "a", "c", "c", "a", "b", "b", "c", "a", "a");

  @Test
  void macroF1AndAccuracyOnLabeledRowsEqualScikitLearn() {
    ModelQuality f1 = new ModelQuality("f1_macro", 0.6, 0.05, "label", "truth", 5);
    DriftReport report =
        DriftChecker.check(
            with(noFeatures().withModelQuality(f1)), labeled(ACTUAL, PREDICTED), "w");
    assertEquals(0.6476190476190476, report.modelQuality().value(), 1e-12);
    assertEquals(Verdict.PASS, report.modelQuality().verdict());
    assertEquals(12, report.modelQuality().labeledRows());

    ModelQuality accuracy = new ModelQuality("accuracy", 0.9, 0.1, "label", "truth", 5);
    DriftReport worse =
        DriftChecker.check(
            with(noFeatures().withModelQuality(accuracy)), labeled(ACTUAL, PREDICTED), "w");
    ModelQualityResult q = worse.modelQuality();
    assertEquals(0.6666666666666666, q.value(), 1e-12);
    assertEquals(0.8, q.bound(), 1e-12);
    assertEquals(Verdict.FAIL, q.verdict());
    assertEquals(Status.VIOLATIONS, worse.status());
    assertEquals(List.of(ViolationKind.MODEL_QUALITY), kinds(worse));
    assertTrue(worse.violations().get(0).description().contains("concept drift"));
  }

  @Test
  void aLabelOnlyPredictedCountsInMacroF1AsScikitLearnDoes() {
    ModelQuality f1 = new ModelQuality("f1_macro", 0.5, 0, "label", "truth", 1);
    DriftReport report =
        DriftChecker.check(
            with(noFeatures().withModelQuality(f1)),
            labeled(List.of("a", "a", "b"), List.of("a", "d", "b")),
            "w");
    assertEquals(0.5555555555555555, report.modelQuality().value(), 1e-12);
  }

  @Test
  void regressionQualityUsesOnlyRowsWithGroundTruth() {
    double[] actual = {1.0, 2.5, 3.0, 7.25};
    double[] predicted = {1.5, 2.0, 3.0, 9.0};
    List<Map<String, Object>> rows = rows(6, 5, 0);
    for (int i = 0; i < rows.size(); i++) {
      rows.get(i).put("prediction", i < 4 ? predicted[i] : 10.0);
      rows.get(i).put("ground_truth", i < 4 ? actual[i] : null);
    }
    ModelQuality rmse = new ModelQuality("rmse", 0.5, 0.25, null, null, 4);
    DriftReport report = DriftChecker.check(with(noFeatures().withModelQuality(rmse)), rows, "w");
    assertEquals(0.9437293044088437, report.modelQuality().value(), 1e-12);
    assertEquals(4, report.modelQuality().labeledRows());
    assertEquals(Verdict.FAIL, report.modelQuality().verdict());

    ModelQuality mae = new ModelQuality("mae", 0.5, 0.25, null, null, 4);
    DriftReport maeReport = DriftChecker.check(with(noFeatures().withModelQuality(mae)), rows, "w");
    assertEquals(0.6875, maeReport.modelQuality().value(), 1e-12);
    assertEquals(Verdict.PASS, maeReport.modelQuality().verdict());
  }

  @Test
  void tooLittleGroundTruthOrAMissingColumnIsReportedNotAViolation() {
    ModelQuality needsMany = new ModelQuality("accuracy", 0.9, 0.1, "label", "truth", 50);
    DriftReport few =
        DriftChecker.check(
            with(noFeatures().withModelQuality(needsMany)), labeled(ACTUAL, PREDICTED), "w");
    assertEquals(Verdict.NOT_RUN, few.modelQuality().verdict());
    assertNull(few.modelQuality().value());
    assertEquals(Status.OK, few.status());
    assertTrue(
        few.problems().stream().anyMatch(p -> p.contains("12 of 12 rows") && p.contains("50")),
        few.problems()::toString);

    ModelQuality elsewhere = new ModelQuality("accuracy", 0.9, 0.1, "label", "posted", 1);
    DriftReport missing =
        DriftChecker.check(
            with(noFeatures().withModelQuality(elsewhere)), labeled(ACTUAL, PREDICTED), "w");
    assertEquals(Verdict.NOT_RUN, missing.modelQuality().verdict());
    assertTrue(missing.modelQuality().detail().contains("no column 'posted'"));
  }

  @Test
  void customRulesCountFailingRowsAgainstTheirAllowance() throws Exception {
    List<Map<String, Object>> rows = rows(200, 6, 0);
    for (int i = 0; i < 10; i++) {
      rows.get(i).put("prediction", -1.0);
    }
    BaselineConstraints constraints =
        baseline
            .constraints()
            .withRules(
                List.of(
                    new CustomRule("non-negative", "prediction >= 0", 0.0),
                    new CustomRule("mostly non-negative", "prediction >= 0", 0.1),
                    new CustomRule("broken", "no_such_column > 1", 0.0),
                    new CustomRule(
                        "reads a file",
                        "(SELECT count(*) FROM read_csv('/etc/passwd')) > 0",
                        0.0)));
    Path file = write("rules.parquet", rows);
    for (DriftReport report :
        List.of(
            DriftChecker.check(with(constraints), rows, "rows"),
            DriftChecker.check(with(constraints), file))) {
      Map<String, RuleResult> byName = new HashMap<>();
      report.rules().forEach(r -> byName.put(r.name(), r));
      assertEquals(
          Verdict.FAIL, byName.get("non-negative").verdict(), byName.get("non-negative").detail());
      assertEquals(10L, byName.get("non-negative").failingRows());
      assertEquals(0.05, byName.get("non-negative").failingFraction(), 1e-12);
      assertEquals(Verdict.PASS, byName.get("mostly non-negative").verdict());
      assertEquals(Verdict.NOT_RUN, byName.get("broken").verdict());
      assertTrue(byName.get("broken").detail().contains("no_such_column"));
      assertEquals(
          Verdict.NOT_RUN,
          byName.get("reads a file").verdict(),
          byName.get("reads a file").detail());
      assertTrue(kinds(report).contains(ViolationKind.CUSTOM_RULE));
      assertTrue(
          report.problems().stream().anyMatch(p -> p.startsWith("Rule 'broken' not evaluated")));
    }
  }

  @Test
  void constraintsWithBadQualityOrRulesAreRejectedNamingThem() throws Exception {
    BaselineConstraints bad =
        baseline
            .constraints()
            .withPredictionColumn("score")
            .withModelQuality(new ModelQuality("auc", 0.9, -1, null, null, 0))
            .withRules(
                List.of(
                    new CustomRule("twice", "Length > 0", 0),
                    new CustomRule("twice", "Length > 0; DROP TABLE window", 2)));
    BaselineFormatException e =
        assertThrows(
            BaselineFormatException.class, () -> Baselines.readConstraints(Baselines.toJson(bad)));
    for (String expected :
        List.of(
            "predictionColumn 'score'",
            "unknown metric 'auc'",
            "tolerance must be",
            "minLabeledRows",
            "rule 'twice' appears twice",
            "without ';'",
            "maxFailingFraction")) {
      assertTrue(e.getMessage().contains(expected), () -> expected + " in " + e.getMessage());
    }
    BaselineConstraints good =
        baseline
            .constraints()
            .withModelQuality(new ModelQuality("rmse", 2.0, 0.5, null, null, 30))
            .withRules(List.of(new CustomRule("positive", "prediction > 0", 0.01)));
    assertEquals(good, Baselines.readConstraints(Baselines.toJson(good)));
    Files.writeString(dir.resolve("c.json"), Baselines.toJson(good));
  }
}
