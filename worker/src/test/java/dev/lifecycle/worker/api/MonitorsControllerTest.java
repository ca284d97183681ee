package dev.lifecycle.worker.api;

import static dev.lifecycle.worker.api.PipelinesControllerTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.monitoring.BaselineOptions;
import dev.lifecycle.activities.monitoring.Baselines;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.monitoring.MonitoringInput;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A monitor started on the worker's task queue, watched and driven over REST. Nothing is captured
 * for its deployment, so its check reports that rather than failing.
 */
@MicronautTest
class MonitorsControllerTest extends EmbeddedTemporalTestSupport {
  @Inject
  @Client("/")
  HttpClient http;

  @Inject WorkflowClient client;
  @Inject LifecycleActivities activities;

  private JsonNode get(String path) throws Exception {
    return PlanJson.lenient().readTree(http.toBlocking().retrieve(path));
  }

  private HttpClientResponseException refused(HttpRequest<?> request) {
    return assertThrows(
        HttpClientResponseException.class, () -> http.toBlocking().exchange(request, String.class));
  }

  private ArtifactRef baseline() throws Exception {
    Path dir = Files.createTempDirectory(home, "baseline");
    Path data = dir.resolve("train.parquet");
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      s.execute(
          "COPY (SELECT random() AS Length, (random() * 3)::INT AS Rings FROM range(500)) TO '"
              + data
              + "' (FORMAT parquet)");
    }
    Path out = Files.createDirectories(dir.resolve("baseline"));
    Baselines.write(Baselines.compute(data, BaselineOptions.defaults()), out);
    return activities.artifacts().put(out, ValueType.REPORT, "baseline");
  }

  @Test
  void listsAMonitorReportsItsStatusAndRunsACheckOnRequest() throws Exception {
    assertEquals(List.of(), List.copyOf(listed()));
    MonitoringWorkflow monitor =
        client.newWorkflowStub(
            MonitoringWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(Names.TASK_QUEUE)
                .setWorkflowId(Names.monitorId("abalone-rest"))
                .build());
    WorkflowClient.start(
        monitor::monitor,
        new MonitoringInput(
            "abalone-rest", baseline(), null, Duration.ofHours(6), List.of(), null, 0, null));
    assertEquals(List.of("abalone-rest"), listed());

    JsonNode status = get("/api/monitors/abalone-rest");
    assertEquals("abalone-rest", status.get("deployment").asText());
    assertEquals(0, status.get("checks").asLong());

    HttpResponse<String> sent =
        http.toBlocking()
            .exchange(HttpRequest.POST("/api/monitors/abalone-rest/run-now", ""), String.class);
    assertEquals(HttpStatus.ACCEPTED, sent.getStatus());
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (status.get("checks").asLong() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = get("/api/monitors/abalone-rest");
    }
    assertEquals(1, status.get("checks").asLong(), status.toPrettyString());
    assertEquals("invalid_input", status.get("lastReport").get("status").asText());

    JsonNode report = get("/api/monitors/abalone-rest/report");
    assertTrue(
        report.get("problems").get(0).asText().contains("Nothing was captured for 'abalone-rest'"),
        report.toPrettyString());
    assertEquals(0, report.get("plots").size());

    String page = http.toBlocking().retrieve("/monitors/abalone-rest");
    assertTrue(page.contains("Monitor of abalone-rest"), page);
    assertTrue(page.contains("invalid_input") && page.contains("Nothing was captured"), page);
    assertTrue(http.toBlocking().retrieve("/monitors").contains("/monitors/abalone-rest"));

    HttpClientResponseException noPlot =
        refused(HttpRequest.GET("/api/monitors/abalone-rest/report/feature-00.svg"));
    assertEquals(HttpStatus.NOT_FOUND, noPlot.getStatus());
    HttpClientResponseException notAPlot =
        refused(HttpRequest.GET("/api/monitors/abalone-rest/report/report.json"));
    assertEquals(HttpStatus.BAD_REQUEST, notAPlot.getStatus());

    HttpClientResponseException unknownSignal =
        refused(HttpRequest.POST("/api/monitors/abalone-rest/explode", ""));
    assertEquals(HttpStatus.BAD_REQUEST, unknownSignal.getStatus());
    assertTrue(errorOf(unknownSignal).contains("'explode'"), errorOf(unknownSignal));

    HttpClientResponseException none = refused(HttpRequest.GET("/api/monitors/nowhere"));
    assertEquals(HttpStatus.NOT_FOUND, none.getStatus());
    assertTrue(errorOf(none).contains("monitor/nowhere"), errorOf(none));

    client.newUntypedWorkflowStub(Names.monitorId("abalone-rest")).terminate("test over");
    HttpClientResponseException ended = refused(HttpRequest.GET("/api/monitors/abalone-rest"));
    assertEquals(HttpStatus.NOT_FOUND, ended.getStatus());
    assertTrue(errorOf(ended).contains("has ended"), errorOf(ended));
    HttpClientResponseException noPage = refused(HttpRequest.GET("/monitors/abalone-rest"));
    assertEquals(HttpStatus.NOT_FOUND, noPage.getStatus());
  }

  private List<String> listed() throws Exception {
    List<String> names = new java.util.ArrayList<>();
    // The worker's JSON leaves empty lists out, as it does everywhere.
    get("/api/monitors").path("deployments").forEach(n -> names.add(n.asText()));
    return names;
  }
}
