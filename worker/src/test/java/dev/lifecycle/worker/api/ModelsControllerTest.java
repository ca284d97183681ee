package dev.lifecycle.worker.api;

import static dev.lifecycle.worker.api.PipelinesControllerTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.ApprovalStatus;
import dev.lifecycle.activities.store.ModelRegistry;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
class ModelsControllerTest extends EmbeddedTemporalTestSupport {
  @Inject
  @Client("/")
  HttpClient http;

  @Inject LifecycleActivities activities;

  private void seed(String name, String runId, double rmse) {
    ArtifactRef model =
        new ArtifactRef("file:///models/" + runId, "c".repeat(64), 10, ValueType.MODEL, "djl");
    activities
        .metadata()
        .models()
        .register(
            new NewModelVersion(
                name,
                model,
                Map.of("rmse", rmse),
                null,
                "h",
                Map.of("epochs", 3),
                "wf-" + runId,
                runId,
                "register"));
  }

  private JsonNode get(String path) throws Exception {
    return PlanJson.lenient().readTree(http.toBlocking().retrieve(path));
  }

  private JsonNode post(String path, Object body) throws Exception {
    return PlanJson.lenient()
        .readTree(http.toBlocking().retrieve(HttpRequest.POST(path, body), String.class));
  }

  @Test
  void listsModelsAndShowsVersionsWithMetricsApprovalAndAliases() throws Exception {
    seed("rest-listed", "rl-1", 2.5);
    seed("rest-listed", "rl-2", 2.1);
    activities.metadata().models().setAlias("rest-listed", "production", 1);

    JsonNode list = get("/api/models");
    JsonNode listed = null;
    for (JsonNode m : list) {
      if (m.get("name").asText().equals("rest-listed")) {
        listed = m;
      }
    }
    assertTrue(listed != null, list.toPrettyString());
    assertEquals(2, listed.get("latestVersion").asInt());
    assertEquals(2, listed.get("versions").asInt());
    assertEquals(1, listed.get("aliases").get("production").asInt());
    assertEquals("PENDING", listed.get("latestApproval").asText());

    JsonNode model = get("/api/models/rest-listed");
    assertEquals(2, model.get("versions").size());
    JsonNode v2 = model.get("versions").get(1);
    assertEquals(2, v2.get("version").asInt());
    assertEquals(2.1, v2.get("metrics").get("rmse").asDouble());
    assertEquals("wf-rl-2", v2.get("workflowId").asText());
    assertEquals("PENDING", v2.get("approval").asText());
  }

  @Test
  void approvesAndRejectsAVersionWithApproverAndComment() throws Exception {
    seed("rest-approved", "ra-1", 2.5);

    JsonNode approved =
        post(
            "/api/models/rest-approved/versions/1/approve",
            Map.of("approver", "ana", "comment", "metrics look right"));
    assertEquals("APPROVED", approved.get("version").get("approval").asText());
    assertEquals("ana", approved.get("version").get("approvedBy").asText());
    assertEquals("not running", approved.get("run").asText(), approved.toPrettyString());
    ModelRegistry models = activities.metadata().models();
    assertEquals(ApprovalStatus.APPROVED, models.get("rest-approved", 1).orElseThrow().approval());
    assertEquals(
        "metrics look right", models.get("rest-approved", 1).orElseThrow().approvalComment());

    JsonNode rejected =
        post("/api/models/rest-approved/versions/1/reject", Map.of("approver", "ben"));
    assertEquals("REJECTED", rejected.get("version").get("approval").asText());
    assertEquals("ben", models.get("rest-approved", 1).orElseThrow().approvedBy());
  }

  @Test
  void badDecisionsAre4xxNamingTheFieldAndChangeNothing() throws Exception {
    seed("rest-bad", "rb-1", 2.5);

    HttpClientResponseException noApprover =
        assertThrows(
            HttpClientResponseException.class,
            () -> post("/api/models/rest-bad/versions/1/approve", Map.of("comment", "ok")));
    assertEquals(HttpStatus.BAD_REQUEST, noApprover.getStatus());
    assertTrue(errorOf(noApprover).contains("'approver'"), errorOf(noApprover));

    HttpClientResponseException badVersion =
        assertThrows(
            HttpClientResponseException.class,
            () -> post("/api/models/rest-bad/versions/one/approve", Map.of("approver", "ana")));
    assertEquals(HttpStatus.BAD_REQUEST, badVersion.getStatus());
    assertTrue(errorOf(badVersion).contains("'version'"), errorOf(badVersion));

    HttpClientResponseException longComment =
        assertThrows(
            HttpClientResponseException.class,
            () ->
                post(
                    "/api/models/rest-bad/versions/1/reject",
                    Map.of("approver", "ana", "comment", "x".repeat(4001))));
    assertEquals(HttpStatus.BAD_REQUEST, longComment.getStatus());
    assertTrue(errorOf(longComment).contains("'comment'"), errorOf(longComment));

    HttpClientResponseException noVersion =
        assertThrows(
            HttpClientResponseException.class,
            () -> post("/api/models/rest-bad/versions/9/approve", Map.of("approver", "ana")));
    assertEquals(HttpStatus.NOT_FOUND, noVersion.getStatus());
    assertTrue(errorOf(noVersion).contains("no version 9"), errorOf(noVersion));

    HttpClientResponseException noModel =
        assertThrows(HttpClientResponseException.class, () -> get("/api/models/rest-nope"));
    assertEquals(HttpStatus.NOT_FOUND, noModel.getStatus());
    assertTrue(errorOf(noModel).contains("'rest-nope'"), errorOf(noModel));

    assertEquals(
        ApprovalStatus.PENDING,
        activities.metadata().models().get("rest-bad", 1).orElseThrow().approval());
  }
}
