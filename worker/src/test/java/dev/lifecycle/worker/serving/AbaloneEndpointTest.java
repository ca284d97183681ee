package dev.lifecycle.worker.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The abalone pipeline run for real over REST, then its endpoint and monitor: raw abalone records
 * ({@code "Sex": "M", "Length": 0.455, ...}) in, rings out, through the feature transform the
 * register step packaged with the model; bad raw input refused naming the field; the captured raw
 * traffic checked by the monitor the run started, a shifted window flagged as Length drift.
 */
@MicronautTest
class AbaloneEndpointTest extends EmbeddedTemporalTestSupport {
  static final Path CSV = Path.of("../examples/src/main/resources/datasets/abalone.csv");
  static final String INVOKE = "/endpoints/abalone-age/invocations";
  static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED", "TERMINATED");

  @Inject
  @Client("/")
  HttpClient http;

  final List<ObjectNode> records = new ArrayList<>();
  final List<Double> rings = new ArrayList<>();
  JsonNode run;

  @BeforeAll
  void runThePipeline() throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT * FROM read_csv_auto('" + CSV.toAbsolutePath() + "') LIMIT 400")) {
      while (rs.next()) {
        ObjectNode o = PlanJson.lenient().createObjectNode();
        o.put("Sex", rs.getString("Sex"));
        for (String column :
            List.of(
                "Length",
                "Diameter",
                "Height",
                "Whole.weight",
                "Shucked.weight",
                "Viscera.weight",
                "Shell.weight")) {
          o.put(column, rs.getDouble(column));
        }
        records.add(o);
        rings.add(rs.getDouble("Rings"));
      }
    }
    HttpResponse<String> started =
        http.toBlocking()
            .exchange(
                HttpRequest.POST(
                    "/api/runs",
                    Map.of(
                        "pipeline",
                        "abalone",
                        "parameters",
                        Map.of("epochs", 20, "rmseThreshold", 100.0),
                        "workflowId",
                        "abalone-served")),
                String.class);
    assertEquals(HttpStatus.CREATED, started.getStatus());
    run = awaitEnd("abalone-served", Duration.ofMinutes(5));
    assertEquals("SUCCEEDED", run.get("state").asText(), run.toPrettyString());
  }

  private JsonNode post(String uri, JsonNode body) throws Exception {
    HttpResponse<String> response =
        http.toBlocking()
            .exchange(
                HttpRequest.POST(uri, body.toString()).contentType(MediaType.APPLICATION_JSON_TYPE),
                String.class);
    return PlanJson.lenient().readTree(response.body());
  }

  private JsonNode get(String uri) throws Exception {
    return PlanJson.lenient().readTree(http.toBlocking().retrieve(uri));
  }

  private static JsonNode body(List<? extends JsonNode> instances) {
    ObjectNode body = PlanJson.lenient().createObjectNode();
    ArrayNode array = body.putArray("instances");
    instances.forEach(array::add);
    return body;
  }

  private JsonNode refused(Consumer<ObjectNode> change) throws Exception {
    ObjectNode o = records.get(0).deepCopy();
    change.accept(o);
    HttpClientResponseException e =
        assertThrows(HttpClientResponseException.class, () -> post(INVOKE, body(List.of(o))));
    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus(), o.toString());
    return PlanJson.lenient().readTree(e.getResponse().getBody(String.class).orElseThrow());
  }

  @Test
  void rawAbaloneRecordsGetPlausibleRingsThroughThePackagedTransform() throws Exception {
    JsonNode first = post(INVOKE, body(List.of(records.get(0))));
    double predicted = first.get("predictions").get(0).asDouble();
    assertTrue(predicted > 3 && predicted < 25, "rings " + predicted + " for " + records.get(0));
    assertEquals("abalone-age", first.get("modelName").asText());

    // Over 400 raw records the served model is as accurate as the run's evaluation said.
    JsonNode many = post(INVOKE, body(records));
    double squares = 0;
    for (int i = 0; i < records.size(); i++) {
      double error = many.get("predictions").get(i).asDouble() - rings.get(i);
      squares += error * error;
    }
    double rmse = Math.sqrt(squares / records.size());
    double evaluated = step("evaluate").get("metrics").get("rmse").asDouble();
    assertTrue(rmse < 3.5 && Math.abs(rmse - evaluated) < 1.0, rmse + " vs " + evaluated);

    JsonNode status = get("/endpoints/abalone-age");
    assertEquals(
        List.of(
            "Sex",
            "Length",
            "Diameter",
            "Height",
            "Whole.weight",
            "Shucked.weight",
            "Viscera.weight",
            "Shell.weight"),
        PlanJson.lenient().convertValue(status.get("features"), List.class));
    assertEquals("string", status.get("inputs").get(0).get("type").asText());
    assertEquals("number", status.get("inputs").get(1).get("type").asText());
    String page = http.toBlocking().retrieve("/endpoints/abalone-age/page");
    assertTrue(page.contains("Sex (string: F | I | M)"), page);
  }

  @Test
  void badRawInputIsRefusedNamingTheFieldAndTheEndpointKeepsServing() throws Exception {
    assertEquals("instances[0].Length", refused(o -> o.remove("Length")).get("field").asText());
    JsonNode sexNumber = refused(o -> o.put("Sex", 2));
    assertEquals("instances[0].Sex", sexNumber.get("field").asText());
    assertTrue(sexNumber.get("error").asText().contains("must be a string"), sexNumber.toString());
    JsonNode lengthText = refused(o -> o.put("Length", "long"));
    assertEquals("instances[0].Length", lengthText.get("field").asText());
    assertTrue(
        lengthText.get("error").asText().contains("must be a number"), lengthText.toString());
    assertEquals("instances[0].Sex_M", refused(o -> o.put("Sex_M", 1)).get("field").asText());

    JsonNode after = post(INVOKE, body(List.of(records.get(1))));
    assertEquals(1, after.get("predictions").size());
  }

  @Test
  void theRunStartsTheMonitorAndAShiftedWindowIsLengthDrift() throws Exception {
    JsonNode monitorStep = step("monitor");
    assertEquals("SUCCEEDED", monitorStep.get("state").asText(), monitorStep.toString());
    JsonNode monitor = get("/api/monitors/abalone-age");
    assertEquals("abalone-age", monitor.get("deployment").asText());

    // A first check takes whatever other tests sent; the windows below hold only what follows.
    check(monitor.get("checks").asLong() + 1);

    // Steady raw traffic: every check passes.
    post(INVOKE, body(records.subList(0, 300)));
    JsonNode steady = check(get("/api/monitors/abalone-age").get("checks").asLong() + 1);
    assertEquals("ok", steady.get("status").asText(), steady.toPrettyString());
    assertEquals(300, steady.get("windowRows").asLong(), steady.toPrettyString());

    // The same abalone measured 0.15 longer: Length drifts, in raw units.
    List<ObjectNode> shifted = new ArrayList<>();
    for (ObjectNode o : records.subList(0, 300)) {
      ObjectNode s = o.deepCopy();
      s.put("Length", o.get("Length").asDouble() + 0.15);
      shifted.add(s);
    }
    post(INVOKE, body(shifted));
    JsonNode report = check(get("/api/monitors/abalone-age").get("checks").asLong() + 1);
    assertEquals("violations", report.get("status").asText(), report.toPrettyString());
    assertTrue(violations(report).contains("Length:drift"), report.toPrettyString());
    assertTrue(
        violations(report).stream().noneMatch(v -> v.startsWith("Whole.weight:drift")),
        report.toPrettyString());
  }

  /** Runs a check now and returns its report once the monitor has made {@code checks} checks. */
  private JsonNode check(long checks) throws Exception {
    HttpResponse<String> sent =
        http.toBlocking()
            .exchange(HttpRequest.POST("/api/monitors/abalone-age/run-now", ""), String.class);
    assertEquals(HttpStatus.ACCEPTED, sent.getStatus());
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode status = get("/api/monitors/abalone-age");
    while (status.get("checks").asLong() < checks && System.nanoTime() < deadline) {
      Thread.sleep(200);
      status = get("/api/monitors/abalone-age");
    }
    assertEquals(checks, status.get("checks").asLong(), status.toPrettyString());
    return get("/api/monitors/abalone-age/report");
  }

  private static List<String> violations(JsonNode report) {
    List<String> found = new ArrayList<>();
    report
        .path("violations")
        .forEach(v -> found.add(v.get("feature").asText() + ":" + v.get("kind").asText()));
    return found;
  }

  private JsonNode step(String name) {
    for (JsonNode s : run.get("steps")) {
      if (s.get("name").asText().equals(name)) {
        return s;
      }
    }
    return fail("No step '" + name + "' in " + run.toPrettyString());
  }

  private JsonNode awaitEnd(String workflowId, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      try {
        status = get("/api/runs/" + workflowId);
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
}
