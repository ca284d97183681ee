package dev.lifecycle.activities.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;

/** scikit-learn's metric values, written by {@code fixtures/make_metrics_fixtures.py}. */
final class MetricsFixtures {
  private MetricsFixtures() {}

  static List<JsonNode> cases(String kind) {
    try (InputStream in = MetricsFixtures.class.getResourceAsStream("/fixtures/metrics.json")) {
      if (in == null) {
        throw new IllegalStateException("fixtures/metrics.json is missing from the test classpath");
      }
      List<JsonNode> cases = new ArrayList<>();
      new ObjectMapper().readTree(in).get(kind).forEach(cases::add);
      return cases;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static double[] doubles(JsonNode array) {
    double[] values = new double[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).asDouble();
    }
    return values;
  }

  /** Equal to 1e-9, relative to the expected value's size when that exceeds 1. */
  static void assertClose(JsonNode testCase, String metric, double actual) {
    double expected = testCase.get(metric).asDouble();
    Assertions.assertEquals(
        expected,
        actual,
        1e-9 * Math.max(1, Math.abs(expected)),
        testCase.get("name").asText() + " " + metric);
  }
}
