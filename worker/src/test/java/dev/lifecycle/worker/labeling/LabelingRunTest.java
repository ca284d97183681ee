package dev.lifecycle.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepState;
import dev.lifecycle.workflows.StepStatus;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipeline runs with a label step on a real worker, labeled through the REST API only: the run
 * waits for people, proceeds as soon as the labeler is done (the API signals the job's workflow on
 * milestones; the workflow's own poll is an hour), and the manifest holds their answers. An admin
 * closes another job early through the API.
 */
@MicronautTest
class LabelingRunTest extends EmbeddedTemporalTestSupport {
  private Http http;
  private PipelineRuns runs;
  private WorkflowClient client;
  private LifecycleActivities activities;
  private Path data;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("lifecycle.labeling.admin-token", LabelingApiTest.ADMIN);
    // Only the empty queue signals here, so the count of signals below is exact.
    properties.put("lifecycle.labeling.signal-delay", "10m");
    return properties;
  }

  @BeforeAll
  void connect() throws Exception {
    http = new Http(context.getBean(EmbeddedServer.class).getPort());
    runs = context.getBean(PipelineRuns.class);
    client = context.getBean(WorkflowClient.class);
    activities = context.getBean(LifecycleActivities.class);
    data = Files.createTempDirectory("labeling-run-data");
  }

  private String annotator(String name) {
    Http.Response created =
        http.post("/api/labeling/admin/annotators", LabelingApiTest.ADMIN, Map.of("name", name));
    assertEquals(201, created.status(), created.toString());
    return created.json().get("token").asText();
  }

  @Test
  void aRunWaitsForItsLabelerAndProceedsWhenTheyAreDone() throws Exception {
    String token = annotator("rita");
    Path images = Datasets.images(data, 6);
    String id =
        LabelingRuns.start(
            runs, LabelingRuns.plan("labels-rest", images, "rita", true), "labels-rest-1");

    long job = LabelingRuns.awaitJob(http, token, Duration.ofMinutes(2));
    int answered = 0;
    while (true) {
      JsonNode item = http.get("/api/labeling/jobs/" + job + "/next", token).json().get("item");
      if (item.isNull()) {
        break;
      }
      long key = item.get("key").asLong();
      Http.Response r =
          http.post(
              "/api/labeling/jobs/" + job + "/items/" + key + "/answer",
              token,
              Http.answer(LabelingRuns.truth(key)));
      assertEquals(201, r.status(), r.toString());
      answered++;
    }
    assertEquals(6, answered);

    // Far sooner than the workflow's hourly poll: the empty queue signalled the job's workflow.
    RunStatus result = LabelingRuns.result(client, id, Duration.ofMinutes(3));
    assertEquals(RunState.SUCCEEDED, result.state(), result.message());
    StepStatus label = result.step("label");
    assertEquals(6.0, label.metrics().get("human_labeled"));
    assertEquals(StepState.SUCCEEDED, result.step("split").state());
    Path manifest = activities.artifacts().resolve(label.artifacts().get("manifest"));
    LabelingRuns.assertLabeledByPeople(LabelingRuns.manifest(manifest), 6, "rita");
    // Six answers, one milestone: the job's workflow heard once, when the queue ran empty.
    long signals =
        client.fetchHistory(id + "/label/label").getEvents().stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
            .count();
    assertEquals(1, signals);
  }

  @Test
  void anAdminClosesAJobEarlyAndTheRunGoesOnWithTheLabelsItHas() throws Exception {
    String token = annotator("cleo");
    Path images = Datasets.images(data, 5);
    String id =
        LabelingRuns.start(
            runs, LabelingRuns.plan("labels-close", images, "cleo", false), "labels-close-1");
    long job = LabelingRuns.awaitJob(http, token, Duration.ofMinutes(2));
    for (int n = 0; n < 2; n++) {
      long key =
          http.get("/api/labeling/jobs/" + job + "/next", token)
              .json()
              .get("item")
              .get("key")
              .asLong();
      http.post(
          "/api/labeling/jobs/" + job + "/items/" + key + "/answer",
          token,
          Http.answer(LabelingRuns.truth(key)));
    }
    assertEquals(
        401, http.post("/api/labeling/admin/jobs/" + job + "/close", token, null).status());

    Http.Response closed =
        http.post(
            "/api/labeling/admin/jobs/" + job + "/close",
            LabelingApiTest.ADMIN,
            Map.of("reason", "enough for a first model"));
    assertEquals(200, closed.status(), closed.toString());
    assertEquals("enough for a first model", closed.json().get("status").get("closedBy").asText());

    RunStatus result = LabelingRuns.result(client, id, Duration.ofMinutes(3));
    assertEquals(RunState.SUCCEEDED, result.state(), result.message());
    assertEquals(2.0, result.step("label").metrics().get("human_labeled"));
    Http.Response again =
        http.post("/api/labeling/admin/jobs/" + job + "/close", LabelingApiTest.ADMIN, null);
    assertEquals(409, again.status(), again.toString());
    assertTrue(again.error().contains(String.valueOf(job)), again.error());
    Http.Response late =
        http.post("/api/labeling/jobs/" + job + "/items/4/answer", token, Http.answer("bag"));
    assertEquals(409, late.status(), late.toString());
    assertEquals("job", late.json().get("field").asText());
  }
}
