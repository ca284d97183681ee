package dev.lifecycle.activities.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The SciPy/NumPy reference values written by {@code make_drift_fixtures.py}, and the tolerance
 * they are held to.
 */
final class DriftFixtures {
  /**
   * Every value must agree with SciPy/NumPy to 1e-9 relative: {@code |actual - expected| <= 1e-9 *
   * |expected|}; an expected exact zero must come out as exact zero.
   */
  static final double RELATIVE_TOLERANCE = 1e-9;

  private static JsonNode root;

  private DriftFixtures() {}

  static synchronized JsonNode root() {
    if (root == null) {
      try (InputStream in =
          DriftFixtures.class.getResourceAsStream("/monitoring/drift_fixtures.json")) {
        root = PlanJson.lenient().readTree(in);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return root;
  }

  static void assertClose(double expected, double actual, String what) {
    if (expected == 0.0) {
      assertEquals(0.0, actual, 0.0, what + ": expected exactly 0");
      return;
    }
    double error = Math.abs(actual - expected) / Math.abs(expected);
    assertTrue(
        error <= RELATIVE_TOLERANCE,
        what + ": expected " + expected + " but got " + actual + " (relative error " + error + ")");
  }

  static double[] doubles(JsonNode array) {
    double[] out = new double[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).isNull() ? Double.NaN : array.get(i).doubleValue();
    }
    return out;
  }

  static long[] longs(JsonNode array) {
    long[] out = new long[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).longValue();
    }
    return out;
  }

  static Map<String, Long> counts(JsonNode object) {
    Map<String, Long> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().longValue()));
    return out;
  }

  /**
   * The fixture script's sample generator, bit for bit: a 64-bit LCG whose top 20 bits are summed
   * four at a time, scaled and shifted by exact binary fractions and optionally floored to a grid.
   */
  static double[] generate(JsonNode spec) {
    long state = spec.get("seed").longValue();
    int n = spec.get("n").intValue();
    double scale = spec.get("scale").doubleValue();
    double shift = spec.get("shift").doubleValue();
    double grid = spec.has("grid") ? spec.get("grid").doubleValue() : 0;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      long total = 0;
      for (int k = 0; k < 4; k++) {
        state = state * 6364136223846793005L + 1442695040888963407L;
        total += state >>> 44;
      }
      double x = total / (double) (1 << 20) - 2.0;
      x = x * scale + shift;
      if (grid != 0) {
        x = Math.floor(x * grid) / grid;
      }
      out[i] = x;
    }
    return out;
  }

  /** A numeric case's sample, stored or generated (checked against the script's checksum). */
  static double[] sample(JsonNode testCase, String which) {
    if (testCase.has(which)) {
      return doubles(testCase.get(which));
    }
    double[] values = generate(testCase.get(which + "Generator"));
    JsonNode check = testCase.get(which + "Check");
    for (int i = 0; i < check.get("first").size(); i++) {
      assertEquals(check.get("first").get(i).doubleValue(), values[i], 0.0, which + " generator");
    }
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    assertClose(check.get("sum").doubleValue(), sum, which + " generator sum");
    return values;
  }
}
