package dev.lifecycle.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.RunStatus;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Pipelines with a label step, started on a test worker, and what their label step wrote. */
final class LabelingRuns {
  static final List<String> CLASSES = List.of("shirt", "sneaker", "bag");
  static final String INSTRUCTIONS = "Pick the garment the picture shows.";

  private LabelingRuns() {}

  /** The answer the tests give item {@code key}. */
  static String truth(long key) {
    return CLASSES.get((int) (key % CLASSES.size()));
  }

  /** ingest (the images) → label by {@code annotator} → optionally split the labeled rows. */
  static PipelinePlan plan(String name, Path images, String annotator, boolean split) {
    Pipeline p = Pipeline.named(name);
    var raw = p.ingest("ingest").parquet(Values.of(images.toString())).dataset();
    var label =
        p.label("label", raw)
            .classes(CLASSES.toArray(String[]::new))
            .instructions(INSTRUCTIONS)
            .annotators(annotator);
    if (split) {
      p.split("split", label.dataset()).seed(7);
    }
    return p.compile();
  }

  static String start(PipelineRuns runs, PipelinePlan plan, String workflowId) {
    return runs.startPlan(plan, Map.of(), workflowId).workflowId();
  }

  /** Waits for the run's result. */
  static RunStatus result(WorkflowClient client, String workflowId, Duration timeout)
      throws Exception {
    return client
        .newUntypedWorkflowStub(workflowId)
        .getResultAsync(RunStatus.class)
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The job id of the first open job {@code token}'s labeler sees, waiting for it to open. */
  static long awaitJob(Http http, String token, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      JsonNode jobs = http.get("/api/labeling/jobs", token).json();
      if (jobs.size() > 0) {
        return jobs.get(0).get("id").asLong();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("No labeling job opened for the labeler in " + timeout);
  }

  /** The manifest's rows by item key: label, source, annotators. */
  static Map<Long, List<String>> manifest(Path manifest) throws Exception {
    Map<Long, List<String>> rows = new LinkedHashMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT item_key, label, source, annotators FROM read_parquet('"
                    + manifest
                    + "') ORDER BY item_key")) {
      while (rs.next()) {
        rows.put(
            rs.getLong(1),
            java.util.Arrays.asList(rs.getString(2), rs.getString(3), rs.getString(4)));
      }
    }
    return rows;
  }

  static void assertLabeledByPeople(Map<Long, List<String>> manifest, int items, String who) {
    assertEquals(items, manifest.size(), manifest.toString());
    manifest.forEach(
        (key, row) -> assertEquals(List.of(truth(key), "human", who), row, "item " + key));
  }
}
