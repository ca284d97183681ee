package dev.lifecycle.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The labeling page in headless Chromium, end to end: a pipeline run waits at its label step, the
 * labeler signs in on the real page and labels every item with the keyboard (script {@code
 * src/test/browser/label-page.test.js}, Playwright driving Debian's {@code /usr/bin/chromium}), and
 * the run proceeds past the label step to its end with their answers in the manifest.
 *
 * <p>Needs {@code /usr/bin/chromium}, {@code node} and {@code npm ci} in {@code src/test/browser};
 * without them the test is skipped, except with {@code CI=true}, where it fails naming what is
 * missing ({@code .ci/run} installs them).
 */
@MicronautTest
class LabelingPageBrowserTest extends EmbeddedTemporalTestSupport {
  static final Path SCRIPTS = Path.of("src/test/browser");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final int ITEMS = 6;

  private Http http;
  private int port;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("lifecycle.labeling.admin-token", LabelingApiTest.ADMIN);
    return properties;
  }

  @BeforeAll
  void requireBrowser() {
    List<String> missing = new ArrayList<>();
    if (!Files.isExecutable(CHROMIUM)) {
      missing.add("Chromium at " + CHROMIUM + " (apt-get install chromium)");
    }
    if (!onPath("node")) {
      missing.add("node on the PATH (apt-get install nodejs)");
    }
    if (!Files.isDirectory(SCRIPTS.resolve("node_modules/playwright-core"))) {
      missing.add(
          "playwright-core in " + SCRIPTS.toAbsolutePath() + "/node_modules (npm ci there)");
    }
    if (!missing.isEmpty()) {
      String message = "The browser test needs " + String.join(", ", missing);
      if ("true".equals(System.getenv("CI"))) {
        fail(message);
      }
      Assumptions.abort(message);
    }
    port = context.getBean(EmbeddedServer.class).getPort();
    http = new Http(port);
  }

  @Test
  void aLabelerLabelsEveryItemWithTheKeyboardAndTheRunProceeds() throws Exception {
    Http.Response created =
        http.post("/api/labeling/admin/annotators", LabelingApiTest.ADMIN, Map.of("name", "paula"));
    assertEquals(201, created.status(), created.toString());
    String token = created.json().get("token").asText();
    Path data = Files.createTempDirectory("labeling-page-data");
    String id =
        LabelingRuns.start(
            context.getBean(PipelineRuns.class),
            LabelingRuns.plan("labels-page", Datasets.images(data, ITEMS), "paula", true),
            "labels-page-1");
    LabelingRuns.awaitJob(http, token, Duration.ofMinutes(2));

    Path log = data.resolve("browser.log");
    ProcessBuilder node =
        new ProcessBuilder("node", "label-page.test.js")
            .directory(SCRIPTS.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    node.environment().put("LABEL_BASE_URL", "http://localhost:" + port);
    node.environment().put("LABEL_TOKEN", token);
    node.environment().put("LABEL_ITEMS", String.valueOf(ITEMS));
    node.environment().put("LABEL_CLASSES", String.join(",", LabelingRuns.CLASSES));
    node.environment().put("LABEL_INSTRUCTIONS", LabelingRuns.INSTRUCTIONS);
    Process process = node.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("The browser script did not end in 5 minutes:\n" + read(log));
    }
    String output = read(log);
    assertEquals(0, process.exitValue(), output);
    JsonNode report = PlanJson.lenient().readTree(lastLine(output));
    assertEquals(ITEMS, report.get("answered").size(), output);
    assertTrue(
        output.contains("\"letter\"") && output.contains("\"digit\""),
        "answered both by digit and by letter: " + output);

    RunStatus result =
        LabelingRuns.result(context.getBean(WorkflowClient.class), id, Duration.ofMinutes(3));
    assertEquals(RunState.SUCCEEDED, result.state(), result.message());
    assertEquals(StepState.SUCCEEDED, result.step("split").state());
    StepStatus label = result.step("label");
    assertEquals((double) ITEMS, label.metrics().get("human_labeled"));
    Path manifest =
        context
            .getBean(LifecycleActivities.class)
            .artifacts()
            .resolve(label.artifacts().get("manifest"));
    LabelingRuns.assertLabeledByPeople(LabelingRuns.manifest(manifest), ITEMS, "paula");
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
  }

  private static String lastLine(String output) {
    String[] lines = output.strip().split("\n");
    return lines[lines.length - 1];
  }
}
