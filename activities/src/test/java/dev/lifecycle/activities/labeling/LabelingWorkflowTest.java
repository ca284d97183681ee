package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.Values;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepStatus;
import dev.lifecycle.workflows.labeling.LabelingStatus;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline with a label step, end to end on real activities and an H2 store: three simulated
 * annotators with known error rates answer through the store over simulated days, a reminder fires,
 * the job completes, and the label step hands the labeled dataset to the run.
 */
class LabelingWorkflowTest {
  private static final int ROWS = 30;
  private static final List<String> CLASSES = List.of("cat", "dog", "bird");
  private static final String QUEUE = "labeling-e2e";

  @TempDir Path tempDir;

  private static String truth(long row) {
    return CLASSES.get((int) (row % 3));
  }

  @Test
  void labelsThroughPeopleOverSimulatedDaysAndFeedsTheRun() throws Exception {
    try (TestDatabase.Instance db = TestDatabase.H2.create(tempDir);
        LifecycleActivities activities =
            LifecycleActivities.open(db.settings(), PipelineRegistry.of());
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder()
                    .setWorkflowClientOptions(
                        WorkflowClientOptions.newBuilder()
                            .setDataConverter(LifecycleDataConverter.create())
                            .build())
                    .build())) {
      env.registerSearchAttribute(Names.SA_PIPELINE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      env.registerSearchAttribute(Names.SA_STATE, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
      LifecycleWorkers.register(env.newWorker(QUEUE), activities.all().toArray());
      env.start();

      Path source = tempDir.resolve("pool.parquet");
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement()) {
        st.execute(
            "COPY (SELECT i AS id, CAST(i AS DOUBLE) / 10 AS x FROM range("
                + ROWS
                + ") t(i)) TO '"
                + source
                + "' (FORMAT parquet)");
      }
      Pipeline p = Pipeline.named("labeling");
      var raw = p.ingest("ingest").parquet(Values.of(source.toString())).dataset();
      p.label("label", raw)
          .classes(CLASSES.toArray(String[]::new))
          .annotatorsPerItem(3)
          .deadline(Duration.ofDays(14))
          .remindEvery(Duration.ofDays(1))
          .annotators("ana", "ben", "chen");
      ObjectNode input = PlanJson.strict().createObjectNode();
      input.set("plan", PlanJson.strict().valueToTree(p.compile()));

      WorkflowClient client = env.getWorkflowClient();
      PipelineWorkflow run =
          client.newWorkflowStub(
              PipelineWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("run-1").build());
      WorkflowClient.start(run::run, input);
      LabelingWorkflow job = client.newWorkflowStub(LabelingWorkflow.class, "run-1/label/label");
      awaitWaiting(job);

      LabelingStore store = LabelingStore.of(activities.metadata());
      long jobId = store.jobByRun(runId(client), "label").orElseThrow().id();
      Map<String, Double> errorRate = Map.of("ana", 0.0, "ben", 0.2, "chen", 0.4);
      Map<Long, Map<String, String>> given = new HashMap<>();
      Random random = new Random(7);
      // Each annotator answers 10 items a day; the API would signal after each batch.
      for (int day = 0; day < 3; day++) {
        for (String who : List.of("ana", "ben", "chen")) {
          long id = store.annotator(who).orElseThrow().id();
          for (int k = 0; k < 10; k++) {
            Optional<NextItem> next = store.next(jobId, id, Duration.ofMinutes(10));
            if (next.isEmpty()) {
              break;
            }
            long row = next.get().item().key();
            String answer = truth(row);
            if (random.nextDouble() < errorRate.get(who)) {
              answer = CLASSES.get((CLASSES.indexOf(answer) + 1 + random.nextInt(2)) % 3);
            }
            store.submit(jobId, row, id, answer);
            given.computeIfAbsent(row, r -> new HashMap<>()).put(who, answer);
          }
        }
        if (day == 1) {
          LabelingStatus status = job.progress();
          assertTrue(status.reminders() >= 1, "a reminder fired on day 1: " + status);
        }
        job.answersChanged();
        env.sleep(Duration.ofDays(1).plusHours(1));
      }

      RunStatus result = WorkflowStub.fromTyped(run).getResult(RunStatus.class);
      assertEquals(RunState.SUCCEEDED, result.state(), result.message());
      StepStatus label = result.step("label");
      assertEquals((double) ROWS, label.metrics().get("labeled"));
      assertEquals((double) ROWS, label.metrics().get("human_labeled"));

      Path labeled = activities.artifacts().resolve(label.artifacts().get("dataset"));
      int majorityRight = 0;
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT id, label, label_source FROM read_parquet('"
                      + labeled
                      + "') ORDER BY id")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          long row = rs.getLong("id");
          Map<String, String> answers = given.get(row);
          assertEquals(3, answers.size(), "row " + row);
          long right = answers.values().stream().filter(a -> a.equals(truth(row))).count();
          if (right >= 2) {
            majorityRight++;
            assertEquals(truth(row), rs.getString("label"), "row " + row + ": " + answers);
          }
          assertEquals("human", rs.getString("label_source"));
        }
        assertEquals(ROWS, rows);
      }
      assertTrue(majorityRight >= ROWS * 2 / 3, "most items have a right majority");
    }
  }

  private static String runId(WorkflowClient client) {
    return client.newUntypedWorkflowStub("run-1").describe().getExecution().getRunId();
  }

  private static void awaitWaiting(LabelingWorkflow job) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        if (job.progress().state() == dev.lifecycle.workflows.labeling.LabelingState.WAITING) {
          return;
        }
      } catch (RuntimeException notStartedYet) {
        if (System.nanoTime() > deadline) {
          throw notStartedYet;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("The labeling job never started waiting");
      }
      Thread.sleep(50);
    }
  }
}
