package dev.lifecycle.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MicronautTest
class RunPagesControllerTest extends EmbeddedTemporalTestSupport {
  private static final String RUN = "abalone-page-1";

  @Inject
  @Client("/")
  HttpClient http;

  @Inject PipelineRuns runs;

  @BeforeAll
  void runAbalone() throws Exception {
    runs.start("abalone", Map.of("epochs", 3, "rmseThreshold", 100.0), RUN);
    RunStatus done = runs.stub(RUN).getResult(RunStatus.class);
    assertEquals(RunState.SUCCEEDED, done.state(), done.message());
  }

  private String get(String path) {
    return http.toBlocking().retrieve(HttpRequest.GET(path), String.class);
  }

  @Test
  void runPageShowsStepsProgressLearningCurvesAndReportPlots() {
    String page = get("/runs/" + RUN);
    assertTrue(page.startsWith("<!doctype html>"), page);
    assertTrue(page.contains("<title>abalone · " + RUN + "</title>"), page);
    assertTrue(page.contains("data-state=\"SUCCEEDED\""), page);
    // Every step has a row with its state; the skipped branch says why.
    for (String step : new String[] {"ingest", "split", "features", "train", "evaluate"}) {
      assertTrue(
          Pattern.compile("<tr id=\"step-" + step + "\">.*?state-SUCCEEDED", Pattern.DOTALL)
              .matcher(page)
              .find(),
          step + " row in " + page);
    }
    assertTrue(page.contains("<tr id=\"step-rmse-too-high\">"), page);
    assertTrue(page.contains("Skipped: condition"), page);
    assertTrue(page.contains("rmse = "), page);

    // Training: its last progress report, its experiment and its learning curves.
    assertTrue(page.contains("<section class=\"training\" id=\"training-train\">"), page);
    assertTrue(page.contains("epoch 3/3 · loss "), page);
    assertTrue(page.contains("width:100.0%"), page);
    Matcher experiment = Pattern.compile("/api/experiments/runs/(\\d+)").matcher(page);
    assertTrue(experiment.find(), page);
    assertTrue(page.contains("./lifecycle experiments show " + experiment.group(1)), page);
    assertTrue(page.contains("<figure class=\"curves\"><svg"), page);
    assertTrue(page.contains("Learning curves") && page.contains("3 epochs"), page);
    assertTrue(page.contains("Training loss") && page.contains("Validation loss"), page);
    // One polyline vertex per epoch: the curves come from the experiment store's three epochs.
    Matcher line = Pattern.compile("<polyline[^>]*points=\"([^\"]+)\"").matcher(page);
    assertTrue(line.find(), page);
    assertEquals(3, line.group(1).trim().split("\\s+").length, line.group(0));

    // The evaluation report's plots, served from its artifact.
    assertTrue(page.contains("<section class=\"report\" id=\"report-evaluate\">"), page);
    String residuals = "/runs/" + RUN + "/reports/evaluate/residuals.svg";
    assertTrue(page.contains("src=\"" + residuals + "\""), page);
    assertTrue(page.contains("predicted_vs_actual.svg"), page);
    HttpResponse<String> plot =
        http.toBlocking().exchange(HttpRequest.GET(residuals), String.class);
    assertEquals("image/svg+xml", plot.getContentType().orElseThrow().toString());
    assertTrue(plot.body().startsWith("<svg") && plot.body().contains("Residuals"), plot.body());

    // The live part is the same <main>, for the page's script to swap in.
    String live = get("/runs/" + RUN + "/live");
    assertTrue(live.startsWith("<main data-live=\"/runs/" + RUN + "/live\""), live);
    assertTrue(live.contains("id=\"training-train\""), live);
  }

  @Test
  void indexListsRecentRunsWithLinks() {
    String index = get("/runs");
    assertTrue(index.contains("<a href=\"/runs/" + RUN + "\">" + RUN + "</a>"), index);
    assertTrue(
        Pattern.compile(RUN + "</a></td><td>abalone</td><td><span class=\"state state-COMPLETED\">")
            .matcher(index)
            .find(),
        index);
  }

  @Test
  void unknownRunsAndPlotsAre404NamingThem() {
    HttpClientResponseException run =
        assertThrows(HttpClientResponseException.class, () -> get("/runs/no-such-run"));
    assertEquals(HttpStatus.NOT_FOUND, run.getStatus());
    assertTrue(run.getResponse().getBody(String.class).orElse("").contains("no-such-run"));

    HttpClientResponseException plot =
        assertThrows(
            HttpClientResponseException.class,
            () -> get("/runs/" + RUN + "/reports/evaluate/roc.svg"));
    assertEquals(HttpStatus.NOT_FOUND, plot.getStatus());
    String body = plot.getResponse().getBody(String.class).orElse("");
    assertTrue(body.contains("roc.svg") && body.contains("residuals.svg"), body);

    HttpClientResponseException step =
        assertThrows(
            HttpClientResponseException.class,
            () -> get("/runs/" + RUN + "/reports/train/loss.svg"));
    assertEquals(HttpStatus.NOT_FOUND, step.getStatus());
    assertTrue(step.getResponse().getBody(String.class).orElse("").contains("'train'"));
  }
}
