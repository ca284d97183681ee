package dev.lifecycle.activities.monitoring;

import static dev.lifecycle.activities.monitoring.DriftFixtures.assertClose;
import static dev.lifecycle.activities.monitoring.DriftFixtures.counts;
import static dev.lifecycle.activities.monitoring.DriftFixtures.doubles;
import static dev.lifecycle.activities.monitoring.DriftFixtures.longs;
import static dev.lifecycle.activities.monitoring.DriftFixtures.root;
import static dev.lifecycle.activities.monitoring.DriftFixtures.sample;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Drift statistics against SciPy 1.10 / NumPy 1.24 reference values ({@code drift_fixtures.json}).
 */
class DriftStatisticsTest {
  private static final int BINS = root().get("bins").intValue();

  @Test
  void fixturesComeFromTheExpectedReference() {
    assertEquals("1.10.1", root().get("scipy").asText());
    assertEquals(DriftStatistics.DEFAULT_BINS, BINS);
    assertEquals(DriftStatistics.PSI_EPSILON, root().get("psiEpsilon").doubleValue());
    assertTrue(root().get("numeric").size() >= 15);
  }

  @TestFactory
  Stream<DynamicTest> numericStatisticsMatchScipy() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root().get("numeric")) {
      String name = c.get("name").asText();
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                double[] baseline = sample(c, "baseline");
                double[] current = sample(c, "current");

                KolmogorovSmirnov.Result ks =
                    DriftStatistics.kolmogorovSmirnov(name, baseline, current);
                JsonNode expectedKs = c.get("ks");
                assertClose(
                    expectedKs.get("statistic").doubleValue(), ks.statistic(), name + " KS D");
                assertClose(expectedKs.get("pvalue").doubleValue(), ks.pValue(), name + " KS p");
                assertEquals(
                    expectedKs.get("method").asText(),
                    ks.method() == KolmogorovSmirnov.Method.EXACT ? "exact" : "asymptotic",
                    name + " KS method");

                assertClose(
                    c.get("wasserstein").doubleValue(),
                    DriftStatistics.wasserstein(name, baseline, current),
                    name + " Wasserstein");

                double[] cuts = DriftStatistics.quantileCuts(name, baseline, BINS);
                assertArrayEquals(doubles(c.get("cuts")), cuts, 0.0, name + " cut points");
                long[] hb = DriftStatistics.histogram(cuts, baseline);
                long[] hc = DriftStatistics.histogram(cuts, current);
                assertArrayEquals(longs(c.get("baselineCounts")), hb, name + " baseline bins");
                assertArrayEquals(longs(c.get("currentCounts")), hc, name + " current bins");

                assertClose(
                    c.get("psi").doubleValue(),
                    DriftStatistics.psi(name, baseline, current, BINS),
                    name + " PSI");
                assertClose(
                    c.get("jensenShannon").doubleValue(),
                    DriftStatistics.jensenShannon(name, baseline, current, BINS),
                    name + " Jensen-Shannon");
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> twoSidedKolmogorovDistributionMatchesKstwoInEveryRegion() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root().get("kstwo")) {
      int n = c.get("n").intValue();
      double x = c.get("x").doubleValue();
      tests.add(
          DynamicTest.dynamicTest(
              "kstwo.sf(" + x + ", " + n + ")",
              () ->
                  assertClose(
                      c.get("sf").doubleValue(),
                      KolmogorovDistribution.twoSidedSf(n, x),
                      "kstwo.sf(" + x + ", " + n + ")")));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> oneSidedSmirnovMatchesScipySpecial() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root().get("smirnov")) {
      int n = c.get("n").intValue();
      double x = c.get("x").doubleValue();
      tests.add(
          DynamicTest.dynamicTest(
              "smirnov(" + n + ", " + x + ")",
              () ->
                  assertClose(
                      c.get("sf").doubleValue(),
                      KolmogorovDistribution.smirnovSf(n, x),
                      "smirnov(" + n + ", " + x + ")")));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> chiSquareMatchesChi2ContingencyWithAndWithoutYates() {
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode c : root().get("categorical")) {
      String name = c.get("name").asText();
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                Map<String, Long> baseline = counts(c.get("baseline"));
                Map<String, Long> current = counts(c.get("current"));
                for (String variant : List.of("yates", "plain")) {
                  ChiSquareResult r =
                      DriftStatistics.chiSquare(name, baseline, current, variant.equals("yates"));
                  JsonNode expected = c.get(variant);
                  assertClose(
                      expected.get("statistic").doubleValue(), r.statistic(), name + " " + variant);
                  assertClose(
                      expected.get("pvalue").doubleValue(), r.pValue(), name + " " + variant);
                  assertEquals(expected.get("dof").intValue(), r.degreesOfFreedom());
                }
                List<String> categories = new ArrayList<>();
                c.get("categories").forEach(n -> categories.add(n.asText()));
                List<String> unseen = new ArrayList<>();
                c.get("unseen").forEach(n -> unseen.add(n.asText()));
                ChiSquareResult r = DriftStatistics.chiSquare(name, baseline, current, true);
                assertEquals(categories, r.categories());
                assertEquals(unseen, r.unseenCategories());
              }));
    }
    return tests.stream();
  }

  @TestFactory
  Stream<DynamicTest> summaryStatisticsMatchNumpy() {
    List<DynamicTest> tests = new ArrayList<>();
    double[] qs = doubles(root().get("quantiles"));
    for (JsonNode c : root().get("summaries")) {
      String name = c.get("name").asText();
      tests.add(
          DynamicTest.dynamicTest(
              name,
              () -> {
                NumericSummary s = NumericSummary.of(name, doubles(c.get("values")), qs);
                assertEquals(c.get("count").longValue(), s.count());
                assertEquals(c.get("missing").longValue(), s.missing());
                assertClose(c.get("mean").doubleValue(), s.mean(), name + " mean");
                assertClose(c.get("std").doubleValue(), s.std(), name + " std");
                assertClose(c.get("min").doubleValue(), s.min(), name + " min");
                assertClose(c.get("max").doubleValue(), s.max(), name + " max");
                for (int i = 0; i < qs.length; i++) {
                  assertClose(
                      c.get("quantiles").get(i).doubleValue(),
                      s.quantiles().get(i).value(),
                      name + " quantile " + qs[i]);
                }
              }));
    }
    return tests.stream();
  }

  @Test
  void rejectsEmptySamplesNamingFeatureAndSample() {
    DriftInputException e =
        assertThrows(
            DriftInputException.class,
            () -> DriftStatistics.kolmogorovSmirnov("Length", new double[0], new double[] {1}));
    assertEquals("Length", e.feature());
    assertEquals(DriftStatistics.BASELINE, e.sample());
    assertTrue(e.getMessage().contains("'Length'") && e.getMessage().contains("baseline"));

    e =
        assertThrows(
            DriftInputException.class,
            () ->
                DriftStatistics.wasserstein(
                    "Whole.weight", new double[] {1, 2}, new double[] {Double.NaN, Double.NaN}));
    assertEquals("Whole.weight", e.feature());
    assertEquals(DriftStatistics.CURRENT, e.sample());
    assertTrue(e.getMessage().contains("only missing values"), e.getMessage());

    e =
        assertThrows(
            DriftInputException.class,
            () -> DriftStatistics.chiSquare("Sex", Map.of("M", 3L), Map.of(), true));
    assertEquals(DriftStatistics.CURRENT, e.sample());
  }

  @Test
  void dropsMissingValuesBeforeComputing() {
    double[] baseline = {1, 2, 3, 4, 5};
    double[] withNaN = {1, Double.NaN, 2, 3, Double.NaN, 4, 5};
    assertEquals(
        DriftStatistics.kolmogorovSmirnov("x", baseline, new double[] {2, 3, 9}),
        DriftStatistics.kolmogorovSmirnov("x", withNaN, new double[] {2, Double.NaN, 3, 9}));
    assertEquals(0.0, DriftStatistics.wasserstein("x", baseline, withNaN));
  }

  @Test
  void rejectsInfiniteValues() {
    DriftInputException e =
        assertThrows(
            DriftInputException.class,
            () ->
                DriftStatistics.wasserstein(
                    "x", new double[] {1, Double.POSITIVE_INFINITY}, new double[] {1}));
    assertTrue(e.getMessage().contains("infinite"), e.getMessage());
  }
}
