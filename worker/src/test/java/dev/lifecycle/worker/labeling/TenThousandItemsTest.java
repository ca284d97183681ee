package dev.lifecycle.worker.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.worker.EmbeddedTemporalTestSupport;
import dev.lifecycle.worker.temporal.PipelineRuns;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A job of 10,000 items labeled through the REST API by four labelers: the run completes, every
 * item is labeled by people, and no workflow history — the run's, and each run of its label step's
 * workflow, which continues as new — holds 500 events or more.
 */
@MicronautTest
class TenThousandItemsTest extends EmbeddedTemporalTestSupport {
  static final int ITEMS = 10_000;
  static final int LABELERS = 4;

  @Override
  public Map<String, String> getProperties() {
    Map<String, String> properties = new HashMap<>(super.getProperties());
    properties.put("lifecycle.labeling.admin-token", LabelingApiTest.ADMIN);
    return properties;
  }

  @Test
  void tenThousandAnswersThroughTheApiKeepEveryHistoryUnder500Events() throws Exception {
    Http http = new Http(context.getBean(EmbeddedServer.class).getPort());
    WorkflowClient client = context.getBean(WorkflowClient.class);
    List<String> names = new ArrayList<>();
    List<String> tokens = new ArrayList<>();
    for (int t = 0; t < LABELERS; t++) {
      String name = "bulk-" + t;
      Http.Response created =
          http.post("/api/labeling/admin/annotators", LabelingApiTest.ADMIN, Map.of("name", name));
      assertEquals(201, created.status(), created.toString());
      names.add(name);
      tokens.add(created.json().get("token").asText());
    }
    Path rows = Files.createTempDirectory("ten-thousand").resolve("texts.parquet");
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      st.execute(
          "COPY (SELECT i AS id, 'review ' || i AS text FROM range("
              + ITEMS
              + ") t(i)) TO '"
              + rows
              + "' (FORMAT parquet)");
    }
    Pipeline p = Pipeline.named("ten-thousand");
    var raw = p.ingest("ingest").parquet(Values.of(rows.toString())).dataset();
    p.label("label", raw)
        .classes(LabelingRuns.CLASSES.toArray(String[]::new))
        .annotators(names.toArray(String[]::new));
    String id =
        LabelingRuns.start(context.getBean(PipelineRuns.class), p.compile(), "ten-thousand-1");
    long job = LabelingRuns.awaitJob(http, tokens.get(0), Duration.ofMinutes(3));

    ExecutorService pool = Executors.newFixedThreadPool(LABELERS);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < LABELERS; t++) {
        int labeler = t;
        done.add(
            pool.submit(
                () -> {
                  int answered = 0;
                  for (long key = labeler; key < ITEMS; key += LABELERS) {
                    Http.Response r =
                        http.post(
                            "/api/labeling/jobs/" + job + "/items/" + key + "/answer",
                            tokens.get(labeler),
                            Http.answer(LabelingRuns.truth(key)));
                    assertEquals(201, r.status(), r.toString());
                    answered++;
                  }
                  return answered;
                }));
      }
      int answered = 0;
      for (Future<Integer> f : done) {
        answered += f.get();
      }
      assertEquals(ITEMS, answered);
    } finally {
      pool.shutdownNow();
    }

    RunStatus result = LabelingRuns.result(client, id, Duration.ofMinutes(5));
    assertEquals(RunState.SUCCEEDED, result.state(), result.message());
    assertEquals((double) ITEMS, result.step("label").metrics().get("human_labeled"));

    int largest = 0;
    List<String> histories = new ArrayList<>();
    for (String workflowId : List.of(id, id + "/label/label")) {
      // Every run of the workflow id: continue-as-new chains them by the previous run id.
      String runId = "";
      while (runId != null) {
        var history =
            client
                .getWorkflowServiceStubs()
                .blockingStub()
                .getWorkflowExecutionHistory(
                    GetWorkflowExecutionHistoryRequest.newBuilder()
                        .setNamespace(client.getOptions().getNamespace())
                        .setExecution(
                            WorkflowExecution.newBuilder()
                                .setWorkflowId(workflowId)
                                .setRunId(runId)
                                .build())
                        .setMaximumPageSize(10_000)
                        .build())
                .getHistory();
        int events = history.getEventsCount();
        histories.add(workflowId + ":" + events);
        largest = Math.max(largest, events);
        var first = history.getEvents(0).getWorkflowExecutionStartedEventAttributes();
        runId =
            first.getContinuedExecutionRunId().isEmpty()
                ? null
                : first.getContinuedExecutionRunId();
      }
    }
    // Measured: the run 23 events; the label step's workflow ran 5 times (continued as new), at
    // most 251 events each.
    assertTrue(
        histories.size() > 2, () -> "the label workflow never continued as new: " + histories);
    assertTrue(largest < 500, () -> "histories: " + histories);
  }
}
