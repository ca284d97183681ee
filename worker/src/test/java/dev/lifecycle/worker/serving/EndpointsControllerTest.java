package dev.lifecycle.worker.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.deployment.serving.ModelSpec;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.activities.training.TrainingActivitiesImpl;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Serving;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MicronautTest
class EndpointsControllerTest extends EmbeddedTemporalTestSupport {
  static final Path CSV = Path.of("../examples/src/main/resources/datasets/abalone.csv");
  static final int MAX_BODY = 20_000;

  @Inject
  @Client("/")
  HttpClient http;

  @Inject LifecycleActivities activities;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("lifecycle.serving.max-body-bytes", Integer.toString(MAX_BODY));
    return properties;
  }

  /** Trains a small abalone regressor (two epochs) into {@code artifacts}. */
  static ArtifactRef abaloneModel(ArtifactStore artifacts, Path tmp) throws Exception {
    Path file = tmp.resolve("abalone.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT CAST(Sex = 'F' AS DOUBLE) AS Sex_F, CAST(Sex = 'I' AS DOUBLE) AS Sex_I,"
              + " CAST(Sex = 'M' AS DOUBLE) AS Sex_M, Length, Diameter, Height,"
              + " \"Whole.weight\", \"Shucked.weight\", \"Viscera.weight\", \"Shell.weight\","
              + " CAST(Rings AS DOUBLE) AS Rings FROM read_csv_auto('"
              + CSV.toAbsolutePath()
              + "') LIMIT 1000) TO '"
              + file
              + "' (FORMAT parquet)");
    }
    ArtifactRef data = artifacts.put(file, ValueType.DATASET, "parquet");
    Train step =
        new Train(
            "train",
            new OutputRef("features", "train"),
            null,
            "Rings",
            Task.REGRESSION,
            List.of(16),
            new Literal(2),
            new Literal(32),
            new Literal(0.01),
            1L,
            null,
            null);
    TestActivityEnvironment env =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    try {
      env.registerActivitiesImplementations(new TrainingActivitiesImpl(artifacts));
      return env.newActivityStub(
              TrainingActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(10))
                  .setHeartbeatTimeout(Duration.ofMinutes(2))
                  .build())
          .train(
              new StepTask(
                  new RunInfo("wf", "train-run", "abalone", "plan", Map.of()),
                  step,
                  Map.of("train", data),
                  Map.of("epochs", 2, "batchSize", 32, "learningRate", 0.01)))
          .artifacts()
          .get("model");
    } finally {
      env.close();
    }
  }

  @BeforeAll
  void deployEndpoints() throws Exception {
    Path tmp = Files.createTempDirectory(home, "train");
    ArtifactRef model = abaloneModel(activities.artifacts(), tmp);
    int version =
        activities
            .metadata()
            .models()
            .register(
                new NewModelVersion(
                    "abalone-age",
                    model,
                    Map.of(),
                    null,
                    "plan",
                    Map.of(),
                    "wf",
                    "run-http",
                    "register"))
            .version();
    ModelSpec spec = new ModelSpec("abalone-age", version, model);
    Serving capture =
        new Serving(Serving.Mode.REALTIME, 4, null, null, null, null, null, null, null, 1.0);
    activities.serving().deploy("abalone", spec, capture, "run-http", "deploy").join();
    Serving async =
        new Serving(Serving.Mode.ASYNC, null, null, null, null, null, null, null, null, null);
    activities.serving().deploy("abalone-async", spec, async, "run-http", "deploy-async").join();
  }

  static String instance(String override) {
    Map<String, String> fields = new java.util.LinkedHashMap<>();
    for (String f :
        List.of(
            "Sex_F",
            "Sex_I",
            "Sex_M",
            "Length",
            "Diameter",
            "Height",
            "Whole.weight",
            "Shucked.weight",
            "Viscera.weight",
            "Shell.weight")) {
      fields.put(f, f.startsWith("Sex_") ? (f.equals("Sex_F") ? "1" : "0") : "0.4");
    }
    StringBuilder json = new StringBuilder("{");
    for (Map.Entry<String, String> e : fields.entrySet()) {
      if (json.length() > 1) {
        json.append(", ");
      }
      json.append('"').append(e.getKey()).append("\": ").append(e.getValue());
    }
    if (override != null) {
      json.append(", ").append(override);
    }
    return json.append('}').toString();
  }

  private JsonNode post(String uri, String body) throws Exception {
    HttpResponse<String> response =
        http.toBlocking()
            .exchange(
                HttpRequest.POST(uri, body).contentType(MediaType.APPLICATION_JSON_TYPE),
                String.class);
    return PlanJson.lenient().readTree(response.body());
  }

  private JsonNode get(String uri) throws Exception {
    return PlanJson.lenient().readTree(http.toBlocking().retrieve(uri));
  }

  private JsonNode failing(HttpStatus status, String uri, String body) throws Exception {
    HttpClientResponseException e =
        assertThrows(HttpClientResponseException.class, () -> post(uri, body), body);
    assertEquals(status, e.getStatus(), body);
    return PlanJson.lenient().readTree(e.getResponse().getBody(String.class).orElseThrow());
  }

  @Test
  void answersInvocationsAsJson() throws Exception {
    JsonNode answer =
        post(
            "/endpoints/abalone/invocations",
            "{\"instances\": [" + instance(null) + ", " + instance(null) + "]}");

    assertEquals(2, answer.get("predictions").size());
    assertTrue(answer.get("predictions").get(0).isNumber());
    // Identical instances, equal up to float32 rounding in the batched matrix product.
    assertEquals(
        answer.get("predictions").get(0).asDouble(),
        answer.get("predictions").get(1).asDouble(),
        1e-4);
    assertEquals("abalone-age", answer.get("modelName").asText());
    assertTrue(answer.get("requestId").asText().length() > 10);
  }

  @Test
  void badInputGets4xxNamingTheFieldAndTheEndpointKeepsServing() throws Exception {
    String uri = "/endpoints/abalone/invocations";
    String withoutHeight = instance(null).replace("\"Height\": 0.4, ", "");
    assertEquals(
        "instances[0].Height",
        failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": [" + withoutHeight + "]}")
            .get("field")
            .asText());
    String textLength = instance(null).replace("\"Length\": 0.4", "\"Length\": \"long\"");
    JsonNode type = failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": [" + textLength + "]}");
    assertEquals("instances[0].Length", type.get("field").asText());
    assertTrue(type.get("error").asText().contains("must be a number"));
    assertEquals(
        "instances[0]",
        failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": [[1, 2]]}").get("field").asText());
    assertEquals(
        "instances",
        failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": 3}").get("field").asText());
    assertEquals(
        "instances[0].Age",
        failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": [" + instance("\"Age\": 3") + "]}")
            .get("field")
            .asText());
    assertEquals(
        "body", failing(HttpStatus.BAD_REQUEST, uri, "{\"instances\": [").get("field").asText());
    String huge = "{\"instances\": [" + (instance(null) + ", ").repeat(200) + instance(null) + "]}";
    assertTrue(huge.length() > MAX_BODY);
    assertEquals(
        "body", failing(HttpStatus.REQUEST_ENTITY_TOO_LARGE, uri, huge).get("field").asText());
    assertTrue(
        failing(HttpStatus.NOT_FOUND, "/endpoints/nope/invocations", "{}")
            .get("error")
            .asText()
            .contains("'nope'"));

    assertEquals(
        1, post(uri, "{\"instances\": [" + instance(null) + "]}").get("predictions").size());
    assertEquals(0, get("/endpoints/abalone").get("versions").get(0).get("errors").asInt());
  }

  @Test
  void asynchronousInvocationsAreAnsweredByPolling() throws Exception {
    HttpResponse<String> accepted =
        http.toBlocking()
            .exchange(
                HttpRequest.POST(
                        "/endpoints/abalone-async/async-invocations",
                        "{\"instances\": [" + instance(null) + "]}")
                    .contentType(MediaType.APPLICATION_JSON_TYPE),
                String.class);
    assertEquals(HttpStatus.ACCEPTED, accepted.getStatus());
    String id = PlanJson.lenient().readTree(accepted.body()).get("id").asText();
    JsonNode polled = get("/endpoints/abalone-async/async-invocations/" + id);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!polled.get("status").asText().equals("DONE") && System.nanoTime() < deadline) {
      Thread.sleep(20);
      polled = get("/endpoints/abalone-async/async-invocations/" + id);
    }
    assertEquals("DONE", polled.get("status").asText(), polled.toString());
    assertEquals(1, polled.get("result").get("predictions").size());
    assertEquals(
        "instances",
        failing(
                HttpStatus.BAD_REQUEST,
                "/endpoints/abalone-async/async-invocations",
                "{\"instances\": []}")
            .get("field")
            .asText());
    HttpClientResponseException unknown =
        assertThrows(
            HttpClientResponseException.class,
            () -> get("/endpoints/abalone-async/async-invocations/no-such-id"));
    assertEquals(HttpStatus.NOT_FOUND, unknown.getStatus());
  }

  @Test
  void statusShowsVersionsCountersAndLatency() throws Exception {
    post("/endpoints/abalone/invocations", "{\"instances\": [" + instance(null) + "]}");
    JsonNode status = get("/endpoints/abalone");
    assertEquals("abalone-age", status.get("modelName").asText());
    assertEquals("REALTIME", status.get("mode").asText());
    assertEquals(100, status.get("trafficPercent").get(status.get("version").asText()).asInt());
    assertTrue(status.get("versions").get(0).get("requests").asLong() >= 1);
    assertTrue(status.get("versions").get(0).get("p99Millis").isNumber());
    assertEquals(4, status.get("maxBatchSize").asInt());
    JsonNode all = get("/endpoints");
    assertEquals(2, all.size());
    assertEquals("abalone", all.get(0).get("name").asText());
    HttpClientResponseException missing =
        assertThrows(HttpClientResponseException.class, () -> get("/endpoints/nope"));
    assertEquals(HttpStatus.NOT_FOUND, missing.getStatus());
    String page = http.toBlocking().retrieve("/endpoints/abalone/page");
    assertTrue(page.contains("abalone-age v"), page);
    assertTrue(page.contains("up to 4 requests"), page);
    assertTrue(page.contains("href=\"/monitors/abalone\""), page);
  }

  @Test
  void groundTruthJoinsACapturedRequest() throws Exception {
    JsonNode answer =
        post("/endpoints/abalone/invocations", "{\"instances\": [" + instance(null) + "]}");
    String id = answer.get("requestId").asText();

    JsonNode posted =
        post(
            "/endpoints/abalone/ground-truth",
            "{\"requestId\": \"" + id + "\", \"groundTruth\": 9}");
    assertEquals(1, posted.get("instances").asInt());
    assertEquals(
        "requestId",
        failing(
                HttpStatus.NOT_FOUND,
                "/endpoints/abalone/ground-truth",
                "{\"requestId\": \"unknown\", \"groundTruth\": 9}")
            .get("field")
            .asText());
    assertEquals(
        "groundTruth",
        failing(
                HttpStatus.BAD_REQUEST,
                "/endpoints/abalone/ground-truth",
                "{\"requestId\": \"" + id + "\", \"groundTruth\": {\"a\": 1}}")
            .get("field")
            .asText());
  }
}
