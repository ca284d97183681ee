package dev.lifecycle.worker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.plan.PipelinePlan;
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
import org.junit.jupiter.api.Test;

@MicronautTest
class PipelinesControllerTest extends EmbeddedTemporalTestSupport {
  @Inject
  @Client("/")
  HttpClient http;

  @Test
  void listsPipelinesWithTheirParameters() throws Exception {
    String body = http.toBlocking().retrieve("/api/pipelines");
    JsonNode pipelines = PlanJson.lenient().readTree(body);

    JsonNode abalone = null;
    for (JsonNode p : pipelines) {
      if (p.get("name").asText().equals("abalone")) {
        abalone = p;
      }
    }
    assertTrue(abalone != null, body);
    assertTrue(abalone.get("description").asText().contains("RMSE"), body);
    JsonNode threshold = null;
    for (JsonNode p : abalone.get("parameters")) {
      if (p.get("name").asText().equals("rmseThreshold")) {
        threshold = p;
      }
    }
    assertEquals("double", threshold.get("type").asText());
    assertEquals(2.5, threshold.get("defaultValue").asDouble());
    assertEquals(false, threshold.get("required").asBoolean());
  }

  @Test
  void servesTheCompiledPlanAsJson() {
    String body = http.toBlocking().retrieve("/api/pipelines/abalone/plan");

    PipelinePlan plan = PlanJson.read(body);
    assertEquals("abalone", plan.name());
    assertTrue(plan.step("evaluate").isPresent());
  }

  @Test
  void servesTheCompiledPlanAsMermaid() {
    HttpResponse<String> response =
        http.toBlocking()
            .exchange(HttpRequest.GET("/api/pipelines/abalone/plan?format=mermaid"), String.class);

    assertTrue(response.body().contains("train"), response.body());
    assertTrue(response.getContentType().orElseThrow().toString().startsWith("text/plain"));
  }

  @Test
  void unknownPipelineIs404NamingIt() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().retrieve("/api/pipelines/abalon/plan"));

    assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    String error = errorOf(e);
    assertTrue(error.contains("'abalon'") && error.contains("abalone"), error);
  }

  @Test
  void unknownFormatIs400ListingFormats() throws Exception {
    HttpClientResponseException e =
        assertThrows(
            HttpClientResponseException.class,
            () -> http.toBlocking().retrieve("/api/pipelines/abalone/plan?format=dot"));

    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    assertTrue(errorOf(e).contains("'dot'"), errorOf(e));
  }

  static String errorOf(HttpClientResponseException e) throws Exception {
    String body = e.getResponse().getBody(String.class).orElseThrow();
    return PlanJson.lenient().readTree(body).get("error").asText();
  }
}
