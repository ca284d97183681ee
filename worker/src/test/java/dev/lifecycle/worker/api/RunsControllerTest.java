package dev.lifecycle.worker.api;

import static dev.lifecycle.worker.api.PipelinesControllerTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@MicronautTest
class RunsControllerTest extends EmbeddedTemporalTestSupport {
  private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

  @Inject
  @Client("/")
  HttpClient http;

  @Test
  void startsARunAndReportsItsStepsUntilItSucceeds() throws Exception {
    HttpResponse<String> started =
        http.toBlocking()
            .exchange(
                HttpRequest.POST(
                    "/api/runs",
                    Map.of(
                        "pipeline",
                        "abalone",
                        "parameters",
                        Map.of("epochs", 3, "rmseThreshold", 100.0),
                        "workflowId",
                        "abalone-rest-1")),
                String.class);
    assertEquals(HttpStatus.CREATED, started.getStatus());
    JsonNode run = PlanJson.lenient().readTree(started.body());
    assertEquals("abalone-rest-1", run.get("workflowId").asText());
    assertTrue(!run.get("runId").asText().isEmpty(), started.body());

    // No gate waits in this pipeline: the update's validator refuses, the run goes on.
    HttpClientResponseException refused =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST(
                            "/api/runs/abalone-rest-1/approve", Map.of("approver", "ana")),
                        String.class));
    assertEquals(HttpStatus.CONFLICT, refused.getStatus());
    assertTrue(errorOf(refused).contains("abalone-rest-1"), errorOf(refused));

    JsonNode status = awaitEnd("abalone-rest-1", Duration.ofMinutes(3));
    assertEquals("SUCCEEDED", status.get("state").asText(), status.toPrettyString());
    assertEquals("abalone", status.get("pipeline").asText());
    assertEquals(3, status.get("parameters").get("epochs").asInt());
    JsonNode register = step(status, "register");
    assertEquals("SUCCEEDED", register.get("state").asText(), status.toPrettyString());
    assertEquals(1, register.get("values").get("version").asInt());
    assertEquals("SKIPPED", step(status, "rmse-too-high").get("state").asText());
    assertTrue(step(status, "evaluate").get("metrics").get("rmse").asDouble() > 0);

    HttpClientResponseException ended =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST("/api/runs/abalone-rest-1/approve", Map.of()),
                        String.class));
    assertEquals(HttpStatus.CONFLICT, ended.getStatus());
    assertTrue(errorOf(ended).contains("has ended (COMPLETED)"), errorOf(ended));
  }

  @Test
  void workflowIdInUseIs409() {
    Map<String, Object> body =
        Map.of(
            "pipeline",
            "abalone",
            "parameters",
            Map.of("epochs", 1, "rmseThreshold", 100.0),
            "workflowId",
            "abalone-rest-dup");
    http.toBlocking().exchange(HttpRequest.POST("/api/runs", body), String.class);

    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().exchange(HttpRequest.POST("/api/runs", body), String.class));
    assertEquals(HttpStatus.CONFLICT, e.getStatus());
  }

  @Test
  void unknownPipelineIs404() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST("/api/runs", Map.of("pipeline", "abalon")), String.class));

    assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    assertTrue(errorOf(e).contains("'abalon'"), errorOf(e));
  }

  @Test
  void badParameterIs400NamingIt() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST(
                            "/api/runs",
                            Map.of("pipeline", "abalone", "parameters", Map.of("epochs", "many"))),
                        String.class));

    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    assertTrue(errorOf(e).contains("epochs"), errorOf(e));
  }

  @Test
  void missingPipelineIs400() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST("/api/runs", Map.of("parameters", Map.of())),
                        String.class));

    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    assertTrue(errorOf(e).contains("pipeline"), errorOf(e));
  }

  @Test
  void malformedJsonIs400WithAnErrorBody() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                http.toBlocking()
                    .exchange(
                        HttpRequest.POST("/api/runs", "{\"pipeline\": ")
                            .contentType("application/json"),
                        String.class));

    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    assertNotNull(errorOf(e));
  }

  @Test
  void unknownRunIs404() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().retrieve("/api/runs/no-such-run"));

    assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    assertTrue(errorOf(e).contains("'no-such-run'"), errorOf(e));
  }

  private JsonNode awaitEnd(String workflowId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      try {
        status = PlanJson.lenient().readTree(http.toBlocking().retrieve("/api/runs/" + workflowId));
        if (TERMINAL.contains(status.get("state").asText())) {
          return status;
        }
      } catch (HttpClientResponseException e) {
        // 409 until a worker has run the first workflow task.
        if (e.getStatus() != HttpStatus.CONFLICT) {
          throw e;
        }
      }
      Thread.sleep(250);
    }
    return fail("Run " + workflowId + " did not end in " + timeout + ": " + status);
  }

  private static JsonNode step(JsonNode status, String name) {
    for (JsonNode step : status.get("steps")) {
      if (step.get("name").asText().equals(name)) {
        return step;
      }
    }
    throw new IllegalArgumentException("No step '" + name + "' in " + status.toPrettyString());
  }
}
