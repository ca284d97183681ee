package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.monitoring.DriftReport.CheckResult;
import dev.lifecycle.activities.monitoring.DriftReport.FeatureReport;
import dev.lifecycle.activities.monitoring.DriftReport.Status;
import dev.lifecycle.activities.monitoring.DriftReport.Verdict;
import dev.lifecycle.activities.monitoring.DriftReport.Violation;
import dev.lifecycle.activities.monitoring.DriftReport.ViolationKind;
import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checking windows of captured data against a baseline, including windows that are bad input. */
class DriftCheckerTest {
  @TempDir static Path dir;
  static List<Map<String, Object>> trainingRows;
  static Baseline baseline;

  @BeforeAll
  static void computeBaseline() throws Exception {
    trainingRows = MonitoringTestData.rows(3000, 11, 0.0);
    Path training = MonitoringTestData.writeParquet(dir.resolve("train.parquet"), trainingRows);
    baseline =
        Baselines.compute(
            training,
            BaselineOptions.newBuilder()
                .optNumericDrift(
                    List.of(
                        new DriftCheck(DriftMethod.PSI, 0.25),
                        new DriftCheck(DriftMethod.KOLMOGOROV_SMIRNOV, 0.001),
                        new DriftCheck(DriftMethod.JENSEN_SHANNON, 0.2),
                        new DriftCheck(DriftMethod.WASSERSTEIN, 0.5)))
                .optCategoricalDrift(
                    List.of(
                        new DriftCheck(DriftMethod.CHI_SQUARE, 0.001),
                        new DriftCheck(DriftMethod.PSI, 0.25)))
                .build());
  }

  private static FeatureReport feature(DriftReport report, String name) {
    return report.features().stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
  }

  private static CheckResult check(DriftReport report, String feature, String check) {
    return feature(report, feature).checks().stream()
        .filter(c -> c.check().equals(check))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no check " + check + " on " + feature));
  }

  private static List<ViolationKind> kinds(DriftReport report, String feature) {
    return report.violations().stream()
        .filter(v -> v.feature().equals(feature))
        .map(Violation::kind)
        .toList();
  }

  @Test
  void passesAWindowDrawnFromTheTrainingDistribution() throws Exception {
    Path window =
        MonitoringTestData.writeParquet(
            dir.resolve("same.parquet"), MonitoringTestData.rows(800, 12, 0.0));
    DriftReport report = DriftChecker.check(baseline, window);
    assertEquals(Status.OK, report.status(), () -> report.violations().toString());
    assertEquals(800, report.windowRows());
    assertEquals(3, report.features().size());
    for (String drift :
        List.of("drift:psi", "drift:ks", "drift:jensen_shannon", "drift:wasserstein")) {
      CheckResult c = check(report, "Length", drift);
      assertEquals(Verdict.PASS, c.verdict(), c.detail());
      assertNotNull(c.value());
    }
    assertEquals(Verdict.PASS, check(report, "Sex", "drift:chi_square").verdict());
  }

  @Test
  void reportsDriftOfAShiftedFeatureWithItsValueAndThreshold() throws Exception {
    List<Map<String, Object>> shifted = MonitoringTestData.rows(800, 13, 0.08);
    DriftReport report =
        DriftChecker.check(
            baseline, MonitoringTestData.writeParquet(dir.resolve("shifted.parquet"), shifted));
    assertEquals(Status.VIOLATIONS, report.status());
    assertTrue(kinds(report, "Length").contains(ViolationKind.DRIFT));
    assertTrue(kinds(report, "Rings").isEmpty(), () -> report.violations().toString());

    CheckResult psi = check(report, "Length", "drift:psi");
    assertEquals(Verdict.FAIL, psi.verdict());
    assertEquals(0.25, psi.threshold());
    assertTrue(psi.value() > 0.25);

    double[] base = lengths(trainingRows);
    double[] now = lengths(shifted);
    CheckResult ks = check(report, "Length", "drift:ks");
    assertEquals(DriftStatistics.kolmogorovSmirnov("Length", base, now).pValue(), ks.value());
    assertEquals(Verdict.FAIL, ks.verdict());
    assertEquals(
        DriftStatistics.wasserstein("Length", base, now),
        check(report, "Length", "drift:wasserstein").value(),
        1e-15);
  }

  @Test
  void reportsDataQualityViolationsFromRows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> r : MonitoringTestData.rows(200, 14, 0.0)) {
      rows.add(new LinkedHashMap<>(r));
    }
    for (int i = 0; i < 20; i++) {
      rows.get(i).put("Length", null);
    }
    rows.get(30).put("Length", 7.5);
    rows.get(31).put("Length", "long");
    rows.get(40).put("Sex", "X");
    rows.get(41).put("Sex", "X");
    DriftReport report = DriftChecker.check(baseline, rows, "captured-2024-06-11");
    assertEquals(Status.VIOLATIONS, report.status());
    assertEquals("captured-2024-06-11", report.window());
    List<ViolationKind> length = kinds(report, "Length");
    assertTrue(length.contains(ViolationKind.COMPLETENESS), length::toString);
    assertTrue(length.contains(ViolationKind.OUT_OF_RANGE), length::toString);
    assertTrue(length.contains(ViolationKind.TYPE_MISMATCH), length::toString);
    FeatureConstraints.Range range = baseline.constraints().feature("Length").orElseThrow().range();
    long outside =
        rows.stream()
            .map(r -> r.get("Length"))
            .filter(v -> v instanceof Double d && (d < range.min() || d > range.max()))
            .count();
    assertTrue(outside >= 1);
    assertEquals((double) outside, check(report, "Length", "range").value());
    assertTrue(check(report, "Length", "type").detail().contains("'long'"));

    // A category the baseline never saw is also a change of distribution: chi-square flags it.
    assertEquals(
        List.of(ViolationKind.UNSEEN_CATEGORIES, ViolationKind.DRIFT), kinds(report, "Sex"));
    CheckResult categories = check(report, "Sex", "categories");
    assertEquals(2.0, categories.value());
    assertTrue(categories.detail().contains("X (2)"), categories.detail());
    assertTrue(check(report, "Sex", "drift:chi_square").detail().contains("unseen categories [X]"));
  }

  @Test
  void anEmptyWindowGivesAReportSayingSo() throws Exception {
    Path empty = MonitoringTestData.writeParquet(dir.resolve("empty.parquet"), List.of());
    DriftReport report = DriftChecker.check(baseline, empty);
    assertEquals(Status.INVALID_INPUT, report.status());
    assertEquals(0, report.windowRows());
    assertTrue(report.problems().get(0).contains("has no rows"), report.problems()::toString);

    DriftReport fromRows = DriftChecker.check(baseline, List.of(), "no traffic");
    assertEquals(Status.INVALID_INPUT, fromRows.status());
    assertTrue(fromRows.problems().get(0).contains("'no traffic' has no rows"));
  }

  @Test
  void aFeatureMissingFromTheWindowIsReportedAndTheOthersChecked() throws Exception {
    List<Map<String, Object>> rows = MonitoringTestData.rows(300, 15, 0.0);
    Path window =
        MonitoringTestData.writeParquet(
            dir.resolve("no-sex.parquet"),
            "Length DOUBLE, Rings BIGINT",
            List.of("Length", "Rings"),
            rows);
    DriftReport report = DriftChecker.check(baseline, window);
    assertEquals(Status.VIOLATIONS, report.status());
    assertEquals(List.of("Sex"), report.schema().missingFromWindow());
    assertEquals(List.of(ViolationKind.MISSING_FEATURE), kinds(report, "Sex"));
    assertEquals(
        List.of("Length", "Rings"), report.features().stream().map(FeatureReport::name).toList());
    assertTrue(report.problems().get(0).contains("[Sex]"));
  }

  @Test
  void aBaselineForADifferentSchemaNamesTheColumnsThatDiffer() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      rows.add(Map.of("pixel_0", (double) i, "label", "shoe"));
    }
    Path window =
        MonitoringTestData.writeParquet(
            dir.resolve("images.parquet"),
            "pixel_0 DOUBLE, label VARCHAR",
            List.of("pixel_0", "label"),
            rows);
    DriftReport report = DriftChecker.check(baseline, window);
    assertEquals(Status.INVALID_INPUT, report.status());
    assertEquals(List.of("Length", "Rings", "Sex"), report.schema().missingFromWindow());
    assertEquals(List.of("pixel_0", "label"), report.schema().notInBaseline());
    String problem = report.problems().get(0);
    assertTrue(problem.contains("different schema"), problem);
    assertTrue(problem.contains("[Length, Rings, Sex]") && problem.contains("[pixel_0, label]"));
  }

  @Test
  void aColumnOfAnotherTypeIsATypeMismatch() throws Exception {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> r : MonitoringTestData.rows(100, 16, 0.0)) {
      Map<String, Object> copy = new LinkedHashMap<>(r);
      copy.put("Rings", String.valueOf(r.get("Rings")));
      rows.add(copy);
    }
    rows.get(5).put("Rings", "many");
    Path window =
        MonitoringTestData.writeParquet(
            dir.resolve("rings-as-text.parquet"),
            "Length DOUBLE, Rings VARCHAR, Sex VARCHAR",
            List.of("Length", "Rings", "Sex"),
            rows);
    DriftReport report = DriftChecker.check(baseline, window);
    assertEquals(List.of("Rings: numeric (BIGINT) -> VARCHAR"), report.schema().typeMismatches());
    assertEquals(
        2, kinds(report, "Rings").stream().filter(k -> k == ViolationKind.TYPE_MISMATCH).count());
    assertEquals(99L, feature(report, "Rings").numeric().count());
  }

  @Test
  void anUnreadableWindowOrBaselineDatasetDoesNotCrash() throws Exception {
    DriftReport missing = DriftChecker.check(baseline, dir.resolve("absent.parquet"));
    assertEquals(Status.INVALID_INPUT, missing.status());
    assertTrue(missing.problems().get(0).contains("absent.parquet"));

    Baseline moved =
        new Baseline(
            new BaselineStatistics(
                BaselineStatistics.VERSION,
                dir.resolve("deleted.parquet").toString(),
                baseline.statistics().rows(),
                baseline.statistics().features()),
            baseline.constraints());
    DriftReport report = DriftChecker.check(moved, MonitoringTestData.rows(100, 17, 0.0), "w");
    CheckResult ks = check(report, "Length", "drift:ks");
    assertEquals(Verdict.NOT_RUN, ks.verdict());
    assertTrue(ks.detail().contains("deleted.parquet"), ks.detail());
    assertEquals(Verdict.PASS, check(report, "Length", "drift:psi").verdict());
  }

  private static double[] lengths(List<Map<String, Object>> rows) {
    return rows.stream()
        .mapToDouble(r -> r.get("Length") == null ? Double.NaN : (Double) r.get("Length"))
        .toArray();
  }
}
