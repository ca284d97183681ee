package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.monitoring.FeatureConstraints.DriftCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Baselines from Parquet training data, and their statistics and constraints files. */
class BaselinesTest {
  @TempDir static Path dir;
  static Path training;
  static List<Map<String, Object>> rows;

  @BeforeAll
  static void writeTrainingData() throws Exception {
    rows = MonitoringTestData.rows(2000, 7, 0.0);
    training = MonitoringTestData.writeParquet(dir.resolve("train.parquet"), rows);
  }

  @Test
  void computesPerFeatureStatisticsFromTheDataset() {
    Baseline baseline = Baselines.compute(training, BaselineOptions.defaults());
    BaselineStatistics stats = baseline.statistics();
    assertEquals(2000, stats.rows());
    assertEquals(training.toAbsolutePath().toString(), stats.dataset());
    assertEquals(
        List.of("Length", "Rings", "Sex"),
        stats.features().stream().map(FeatureStatistics::name).toList());

    double[] lengths =
        rows.stream()
            .mapToDouble(r -> r.get("Length") == null ? Double.NaN : (Double) r.get("Length"))
            .toArray();
    NumericSummary expected =
        NumericSummary.of(
            "Length",
            lengths,
            NumericSummary.DEFAULT_QUANTILES.stream().mapToDouble(Double::doubleValue).toArray());
    FeatureStatistics length = stats.feature("Length").orElseThrow();
    assertEquals(FeatureKind.NUMERIC, length.kind());
    assertEquals("DOUBLE", length.columnType());
    assertEquals(expected, length.numeric());
    assertEquals(40, length.numeric().missing());
    assertEquals(1960, length.numeric().count());
    assertEquals(1960, length.histogram().counts().stream().mapToLong(Long::longValue).sum());
    assertEquals(
        Arrays.stream(DriftStatistics.quantileCuts("Length", lengths, 10)).boxed().toList(),
        length.histogram().cuts());
    assertNull(length.categorical());

    FeatureStatistics sex = stats.feature("Sex").orElseThrow();
    assertEquals(FeatureKind.CATEGORICAL, sex.kind());
    assertEquals(3, sex.categorical().distinct());
    assertEquals(2000, sex.categorical().count());
    long males = rows.stream().filter(r -> r.get("Sex").equals("M")).count();
    assertEquals(males, sex.categorical().countsByCategory().get("M"));
    assertEquals("BIGINT", stats.feature("Rings").orElseThrow().columnType());
  }

  @Test
  void suggestsConstraintsFromTheStatistics() {
    Baseline baseline =
        Baselines.compute(training, BaselineOptions.newBuilder().optRangeMargin(0.5).build());
    FeatureConstraints length = baseline.constraints().feature("Length").orElseThrow();
    NumericSummary s = baseline.statistics().feature("Length").orElseThrow().numeric();
    assertEquals(0.98, length.completeness(), 1e-12);
    double span = s.max() - s.min();
    assertEquals(s.min() - 0.5 * span, length.range().min(), 1e-12);
    assertEquals(s.max() + 0.5 * span, length.range().max(), 1e-12);
    assertEquals(List.of(new DriftCheck(DriftMethod.PSI, 0.25)), length.drift());
    assertNull(length.knownCategories());

    FeatureConstraints sex = baseline.constraints().feature("Sex").orElseThrow();
    assertEquals(List.of("F", "I", "M"), sex.knownCategories());
    assertEquals(1.0, sex.completeness());
    assertEquals(List.of(new DriftCheck(DriftMethod.CHI_SQUARE, 0.05)), sex.drift());
    assertNull(sex.range());
  }

  @Test
  void selectsAndExcludesFeaturesByName() {
    Baseline only =
        Baselines.compute(
            training, BaselineOptions.newBuilder().optFeatures(List.of("Sex", "Length")).build());
    assertEquals(
        List.of("Sex", "Length"),
        only.statistics().features().stream().map(FeatureStatistics::name).toList());
    Baseline without =
        Baselines.compute(
            training, BaselineOptions.newBuilder().optExclude(List.of("Rings")).build());
    assertTrue(without.constraints().feature("Rings").isEmpty());

    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Baselines.compute(
                    training, BaselineOptions.newBuilder().optFeatures(List.of("Lenght")).build()));
    assertTrue(e.getMessage().contains("'Lenght'") && e.getMessage().contains("Length"));
  }

  @Test
  void rejectsDatasetsItCannotUse() throws Exception {
    Path empty = MonitoringTestData.writeParquet(dir.resolve("empty.parquet"), List.of());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Baselines.compute(empty, BaselineOptions.defaults()));
    assertTrue(e.getMessage().contains("no rows"), e.getMessage());

    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Baselines.compute(dir.resolve("nope.parquet"), BaselineOptions.defaults()));
    assertTrue(e.getMessage().contains("nope.parquet"), e.getMessage());
  }

  @Test
  void writesReadableFilesAndReadsThemBack() throws Exception {
    Baseline baseline = Baselines.compute(training, BaselineOptions.defaults());
    Path out = dir.resolve("baseline-roundtrip");
    Baselines.write(baseline, out);
    String constraints = Files.readString(out.resolve(Baselines.CONSTRAINTS_FILE));
    assertTrue(constraints.contains("\"completeness\" : 0.98"), constraints);
    assertTrue(constraints.contains("\"method\" : \"psi\""), constraints);
    assertTrue(constraints.contains("\"method\" : \"chi_square\""), constraints);
    assertTrue(Files.readString(out.resolve(Baselines.STATISTICS_FILE)).contains("\"quantiles\""));
    assertEquals(baseline, Baselines.read(out));
  }

  @Test
  void rejectsAMisspeltConstraintFieldNamingItAndItsLine() {
    Baseline baseline = Baselines.compute(training, BaselineOptions.defaults());
    String json = Baselines.toJson(baseline.constraints());
    List<String> lines = json.lines().toList();
    int line = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"knownCategories\"")) {
        line = i + 1;
        break;
      }
    }
    String edited = json.replace("\"knownCategories\"", "\"knownCategorys\"");
    BaselineFormatException e =
        assertThrows(BaselineFormatException.class, () -> Baselines.readConstraints(edited));
    assertTrue(e.getMessage().contains("'knownCategorys'"), e.getMessage());
    assertTrue(e.getMessage().contains("line " + line), e.getMessage());
    assertTrue(e.getMessage().contains("constraints.json"), e.getMessage());
  }

  @Test
  void rejectsConstraintValuesThatMakeNoSenseNamingTheFeature() {
    Baseline baseline = Baselines.compute(training, BaselineOptions.defaults());
    String json =
        Baselines.toJson(baseline.constraints())
            .replace("\"completeness\" : 1.0", "\"completeness\" : 1.5")
            .replace("\"method\" : \"psi\"", "\"method\" : \"chi_square\"");
    BaselineFormatException e =
        assertThrows(BaselineFormatException.class, () -> Baselines.readConstraints(json));
    assertTrue(e.getMessage().contains("feature 'Sex': completeness"), e.getMessage());
    assertTrue(
        e.getMessage().contains("feature 'Length': drift method 'chi_square'"), e.getMessage());

    BaselineFormatException unknownMethod =
        assertThrows(
            BaselineFormatException.class,
            () ->
                Baselines.readConstraints(
                    Baselines.toJson(baseline.constraints())
                        .replace("\"method\" : \"psi\"", "\"method\" : \"kl\"")));
    assertTrue(unknownMethod.getMessage().contains("line "), unknownMethod.getMessage());
  }

  @Test
  void rejectsConstraintsForFeaturesTheStatisticsLack() throws Exception {
    Baseline baseline = Baselines.compute(training, BaselineOptions.defaults());
    Path out = dir.resolve("baseline-mismatch");
    Baselines.write(baseline, out);
    Path file = out.resolve(Baselines.CONSTRAINTS_FILE);
    Files.writeString(file, Files.readString(file).replace("\"Rings\"", "\"Diameter\""));
    BaselineFormatException e =
        assertThrows(BaselineFormatException.class, () -> Baselines.read(out));
    assertTrue(e.getMessage().contains("[Diameter]"), e.getMessage());
    assertNotNull(Baselines.readStatistics(Files.readString(out.resolve("statistics.json"))));
  }
}
