package dev.lifecycle.worker.api;

import static dev.lifecycle.worker.api.PipelinesControllerTest.errorOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.NewExperimentRun;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.workflows.activities.ArtifactRef;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@MicronautTest
class ExperimentsControllerTest extends EmbeddedTemporalTestSupport {
  @Inject
  @Client("/")
  HttpClient http;

  @Inject LifecycleActivities activities;

  /** Records a finished run of {@code pipeline} with three epochs; returns its id. */
  static long seed(
      ExperimentStore experiments,
      String pipeline,
      String runId,
      double learningRate,
      Map<String, Double> metrics) {
    ArtifactRef train =
        new ArtifactRef("file:///data/train", "a".repeat(64), 10, ValueType.DATASET, "parquet");
    long id =
        experiments
            .start(
                new NewExperimentRun(
                    "wf-" + runId,
                    runId,
                    "train",
                    pipeline,
                    Map.of(),
                    Map.of("epochs", 3, "learningRate", learningRate),
                    train,
                    null,
                    null))
            .id();
    for (int epoch = 1; epoch <= 3; epoch++) {
      experiments.recordEpoch(
          id, new EpochMetrics(epoch, 4.0 - epoch, 5.0 - epoch, epoch * 10L), null);
    }
    experiments.succeeded(
        id,
        metrics,
        new ArtifactRef("file:///models/" + runId, "b".repeat(64), 10, ValueType.MODEL, "djl"));
    return id;
  }

  private JsonNode get(String uri) throws Exception {
    return PlanJson.lenient().readTree(http.toBlocking().retrieve(uri));
  }

  private HttpClientResponseException failing(String uri) {
    return assertThrows(HttpClientResponseException.class, () -> http.toBlocking().retrieve(uri));
  }

  @Test
  void listsRunsNewestFirstFilteredByPipelineAndStatus() throws Exception {
    ExperimentStore experiments = activities.metadata().experiments();
    long first = seed(experiments, "listing", "l1", 0.01, Map.of("rmse", 2.0));
    long second = seed(experiments, "listing", "l2", 0.02, Map.of("rmse", 1.0));
    seed(experiments, "elsewhere", "l3", 0.02, Map.of("rmse", 1.0));

    JsonNode runs = get("/api/experiments?pipeline=listing");
    assertEquals(List.of(second, first), ids(runs));
    assertEquals("SUCCEEDED", runs.get(0).get("status").asText());
    assertEquals(1.0, runs.get(0).get("finalMetrics").get("rmse").asDouble());
    assertEquals(List.of(second), ids(get("/api/experiments?pipeline=listing&limit=1")));
    assertEquals(List.of(), ids(get("/api/experiments?pipeline=listing&status=running")));

    HttpClientResponseException e = failing("/api/experiments?status=done");
    assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    assertTrue(errorOf(e).contains("'done'") && errorOf(e).contains("succeeded"), errorOf(e));
    assertEquals(HttpStatus.BAD_REQUEST, failing("/api/experiments?limit=0").getStatus());
  }

  @Test
  void servesOneRunWithItsLearningCurve() throws Exception {
    long id = seed(activities.metadata().experiments(), "curves", "c1", 0.01, Map.of("rmse", 2.0));

    JsonNode run = get("/api/experiments/runs/" + id);
    assertEquals("curves", run.get("pipeline").asText());
    assertEquals(0.01, run.get("hyperparameters").get("learningRate").asDouble());
    assertEquals("a".repeat(64), run.get("dataVersion").get("train").asText());
    JsonNode epochs = run.get("epochs");
    assertEquals(3, epochs.size());
    assertEquals(3, epochs.get(2).get("epoch").asInt());
    assertEquals(1.0, epochs.get(2).get("trainLoss").asDouble());
    assertEquals(2.0, epochs.get(2).get("validationLoss").asDouble());

    HttpClientResponseException e = failing("/api/experiments/runs/987654");
    assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    assertTrue(errorOf(e).contains("987654"), errorOf(e));
    assertEquals(HttpStatus.BAD_REQUEST, failing("/api/experiments/runs/abc").getStatus());
  }

  @Test
  void comparesRunsHighlightingDifferences() throws Exception {
    ExperimentStore experiments = activities.metadata().experiments();
    long a = seed(experiments, "comparing", "k1", 0.01, Map.of("rmse", 2.0, "mae", 1.0));
    long b = seed(experiments, "comparing", "k2", 0.02, Map.of("rmse", 1.5, "mae", 1.0));

    JsonNode comparison = get("/api/experiments/compare?runs=" + a + "," + b);
    assertEquals(List.of(a, b), ids(comparison.get("runs")));
    assertEquals(
        0.02,
        comparison.get("hyperparameters").get("learningRate").get(String.valueOf(b)).asDouble());
    List<String> differences = new ArrayList<>();
    comparison.get("differences").forEach(d -> differences.add(d.asText()));
    assertEquals(List.of("hyperparameters.learningRate", "metrics.rmse"), differences);

    HttpClientResponseException unknown = failing("/api/experiments/compare?runs=" + a + ",987654");
    assertEquals(HttpStatus.NOT_FOUND, unknown.getStatus());
    assertTrue(errorOf(unknown).contains("987654"), errorOf(unknown));
    HttpClientResponseException one = failing("/api/experiments/compare?runs=" + a);
    assertEquals(HttpStatus.BAD_REQUEST, one.getStatus());
    assertEquals(HttpStatus.BAD_REQUEST, failing("/api/experiments/compare").getStatus());
  }

  @Test
  void picksTheBestRunByAMetric() throws Exception {
    ExperimentStore experiments = activities.metadata().experiments();
    long low =
        seed(experiments, "ranking", "b1", 0.01, Map.of("validation_loss", 0.5, "accuracy", 0.8));
    long high =
        seed(experiments, "ranking", "b2", 0.02, Map.of("validation_loss", 0.7, "accuracy", 0.9));
    experiments.start(
        new NewExperimentRun(
            "wf-b3",
            "b3",
            "train",
            "ranking",
            Map.of(),
            Map.of(),
            new ArtifactRef("file:///t", "c".repeat(64), 1, ValueType.DATASET, "parquet"),
            null,
            null));

    assertEquals(
        low,
        get("/api/experiments/best?pipeline=ranking&metric=validation_loss").get("id").asLong());
    assertEquals(
        high, get("/api/experiments/best?pipeline=ranking&metric=accuracy").get("id").asLong());
    assertEquals(
        high,
        get("/api/experiments/best?pipeline=ranking&metric=validation_loss&direction=max")
            .get("id")
            .asLong());
    assertEquals(ExperimentStatus.RUNNING, experiments.byRun("b3", "train").orElseThrow().status());

    HttpClientResponseException unknown =
        failing("/api/experiments/best?pipeline=ranking&metric=auc");
    assertEquals(HttpStatus.BAD_REQUEST, unknown.getStatus());
    assertTrue(
        errorOf(unknown).contains("'auc'")
            && errorOf(unknown).contains("[accuracy, validation_loss]"),
        errorOf(unknown));
    assertEquals(
        HttpStatus.BAD_REQUEST,
        failing("/api/experiments/best?pipeline=ranking&metric=auc&direction=up").getStatus());
    assertEquals(
        HttpStatus.BAD_REQUEST, failing("/api/experiments/best?pipeline=ranking").getStatus());
    assertEquals(
        HttpStatus.NOT_FOUND,
        failing("/api/experiments/best?pipeline=nothing&metric=rmse").getStatus());
  }

  private static List<Long> ids(JsonNode runs) {
    List<Long> ids = new ArrayList<>();
    runs.forEach(r -> ids.add(r.get("id").asLong()));
    return ids;
  }
}
