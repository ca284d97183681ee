package dev.lifecycle.activities.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.function.Executable;

/**
 * scikit-learn's metric values, written by {@code fixtures/make_metrics_fixtures.py}.
 *
 * <p>The tolerance is {@link #TOLERANCE} absolute for values up to 1 in magnitude and relative
 * above: {@code |expected - actual| <= 1e-9 * max(1, |expected|)}.
 */
final class MetricsFixtures {
  static final double TOLERANCE = 1e-9;
  private static JsonNode root;

  private MetricsFixtures() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in = MetricsFixtures.class.getResourceAsStream("/fixtures/metrics.json")) {
        if (in == null) {
          throw new IllegalStateException(
              "fixtures/metrics.json is missing from the test classpath");
        }
        root = new ObjectMapper().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static List<JsonNode> cases(String kind) {
    JsonNode section = root().get(kind);
    if (section == null) {
      throw new IllegalStateException("fixtures/metrics.json has no section '" + kind + "'");
    }
    List<JsonNode> cases = new ArrayList<>();
    section.forEach(cases::add);
    return cases;
  }

  static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      // asDouble() reads the script's "NaN" strings as NaN.
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  static int[] ints(JsonNode array) {
    int[] values = new int[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt();
    }
    return values;
  }

  static long[] longs(JsonNode array) {
    long[] values = new long[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asLong();
    }
    return values;
  }

  static boolean[] booleans(JsonNode array) {
    boolean[] values = new boolean[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asInt() == 1;
    }
    return values;
  }

  static double[][] matrix(JsonNode rows) {
    double[][] values = new double[rows.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = doubles(rows.get(i));
    }
    return values;
  }

  static String name(JsonNode testCase) {
    return testCase.get("name").asText();
  }

  /** Equal to {@link #TOLERANCE}, relative to the expected value's size when that exceeds 1. */
  static void assertClose(double expected, double actual, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN but was " + actual);
      return;
    }
    assertEquals(expected, actual, TOLERANCE * Math.max(1, Math.abs(expected)), what);
  }

  static void assertClose(JsonNode testCase, String metric, double actual) {
    assertClose(testCase.get(metric).asDouble(), actual, name(testCase) + " " + metric);
  }

  static void assertAllClose(JsonNode expected, double[] actual, String what) {
    assertEquals(expected.size(), actual.length, what + " length");
    for (int i = 0; i < actual.length; i++) {
      assertClose(expected.get(i).asDouble(), actual[i], what + "[" + i + "]");
    }
  }

  /**
   * The case's call throws {@link IllegalArgumentException} whose message contains the fragment the
   * fixture names; the fixture also records what scikit-learn said, for the reader.
   */
  static void assertRejected(JsonNode testCase, Executable call) {
    String fragment = testCase.get("error_contains").asText();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, name(testCase));
    assertTrue(
        e.getMessage().contains(fragment),
        name(testCase) + ": '" + e.getMessage() + "' should contain '" + fragment + "'");
  }
}
