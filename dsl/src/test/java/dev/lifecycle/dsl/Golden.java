package dev.lifecycle.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares a plan with its golden file under {@code src/test/resources/golden}; with {@code
 * -Dlifecycle.updateGolden=true} rewrites the file first (review its diff).
 */
final class Golden {
  private Golden() {}

  static void assertGolden(String name, PipelinePlan plan) throws IOException {
    Path file = Path.of("src/test/resources/golden", name + ".plan.json");
    String actual = PlanJson.write(plan);
    if (Boolean.getBoolean("lifecycle.updateGolden")) {
      Files.createDirectories(file.getParent());
      Files.writeString(file, actual, StandardCharsets.UTF_8);
    }
    assertTrue(
        Files.exists(file), file + " is missing; create it with -Dlifecycle.updateGolden=true");
    assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual);
  }
}
