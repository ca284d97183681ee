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
import dev.lifecycle.workflows.StepState;
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
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pipeline with a label step, end to end on real activities and an H2 store: simulated annotators
 * with known error rates answer through the store (never through workflow history) over simulated
 * days, the run says it waits for labels, a reminder fires, disputed items get more annotators when
 * the step asks for it, the job completes, and the label step hands the labeled dataset and its
 * manifest to the run.
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
    Outcome outcome = simulate(Map.of("ana", 0.0, "ben", 0.2, "chen", 0.4), null, "run-1");
    assertEquals((double) ROWS, outcome.metrics().get("human_labeled"));
    assertEquals(0.0, outcome.metrics().get("more_annotators"));
    for (Map<String, String> answers : outcome.given().values()) {
      assertEquals(3, answers.size(), "three answers per item: " + answers);
    }
  }

  @Test
  void givesDisputedItemsAFourthAnnotatorInTheRun() throws Exception {
    Outcome outcome =
        simulate(Map.of("ana", 0.0, "ben", 0.2, "chen", 0.4, "dee", 0.3), 0.7, "run-2");
    assertEquals((double) ROWS, outcome.metrics().get("human_labeled"));
    long disputed = 0;
    for (Map.Entry<Long, Map<String, String>> e : outcome.given().entrySet()) {
      Map<String, String> answers = e.getValue();
      Map<String, Long> counts = counts(answers.values());
      long top = counts.values().stream().mapToLong(Long::longValue).max().orElseThrow();
      if (answers.size() == 4) {
        disputed++;
      } else {
        assertEquals(3, answers.size(), "row " + e.getKey());
        assertEquals(3, top, "row " + e.getKey() + " was settled by 3 answers: " + answers);
      }
    }
    assertTrue(disputed > 0, "some items were disputed: " + outcome.given());
    assertEquals((double) disputed, outcome.metrics().get("more_annotators"));
  }

  /** What a simulated job gave: the answers per row and the label step's metrics. */
  private record Outcome(Map<Long, Map<String, String>> given, Map<String, Double> metrics) {}

  /**
   * Runs a pipeline whose label step asks 3 of {@code errorRates.keySet()} per item (and more below
   * {@code moreBelow}, up to all of them): each annotator answers 10 items a simulated day through
   * the store, wrong with their error rate. Checks what holds in every case: the run waits with
   * state WAITING_LABELS, a reminder fires on day 1, every label is the plurality of its answers
   * (right wherever the majority is right), and the manifest records each item's provenance.
   */
  private Outcome simulate(Map<String, Double> errorRates, Double moreBelow, String runWorkflowId)
      throws Exception {
    List<String> annotators = errorRates.keySet().stream().sorted().toList();
    try (TestDatabase.Instance db = TestDatabase.H2.create(tempDir.resolve(runWorkflowId));
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

      Path source = tempDir.resolve(runWorkflowId + "-pool.parquet");
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
      var step =
          p.label("label", raw)
              .classes(CLASSES.toArray(String[]::new))
              .annotatorsPerItem(3)
              .deadline(Duration.ofDays(14))
              .remindEvery(Duration.ofDays(1))
              .annotators(annotators.toArray(String[]::new));
      if (moreBelow != null) {
        step.moreAnnotatorsBelow(moreBelow, annotators.size());
      }
      ObjectNode input = PlanJson.strict().createObjectNode();
      input.set("plan", PlanJson.strict().valueToTree(p.compile()));

      WorkflowClient client = env.getWorkflowClient();
      PipelineWorkflow run =
          client.newWorkflowStub(
              PipelineWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(QUEUE)
                  .setWorkflowId(runWorkflowId)
                  .build());
      WorkflowClient.start(run::run, input);
      LabelingWorkflow job =
          client.newWorkflowStub(LabelingWorkflow.class, runWorkflowId + "/label/label");
      awaitWaiting(job);
      RunStatus waiting = run.status();
      assertEquals(RunState.WAITING_LABELS, waiting.state());
      assertEquals(StepState.WAITING_LABELS, waiting.step("label").state());

      LabelingStore store = LabelingStore.of(activities.metadata());
      long jobId = store.jobByRun(runId(client, runWorkflowId), "label").orElseThrow().id();
      Map<Long, Map<String, String>> given = new TreeMap<>();
      Random random = new Random(7);
      // Each annotator answers 10 items a day; the API would signal after each batch.
      for (int day = 0; day < 10 && !finished(run); day++) {
        for (String who : annotators) {
          long id = store.annotator(who).orElseThrow().id();
          for (int k = 0; k < 10; k++) {
            Optional<NextItem> next = store.next(jobId, id, Duration.ofMinutes(10));
            if (next.isEmpty()) {
              break;
            }
            long row = next.get().item().key();
            String answer = truth(row);
            if (random.nextDouble() < errorRates.get(who)) {
              answer = CLASSES.get((CLASSES.indexOf(answer) + 1 + random.nextInt(2)) % 3);
            }
            store.submit(jobId, row, id, answer);
            given.computeIfAbsent(row, r -> new TreeMap<>()).put(who, answer);
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
      assertEquals(ROWS, given.size(), "every row was answered");

      Path labeled = activities.artifacts().resolve(label.artifacts().get("dataset"));
      int majorityRight = 0;
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT id, label, label_source, label_annotators, label_agreement FROM"
                      + " read_parquet('"
                      + labeled
                      + "') ORDER BY id")) {
        int rows = 0;
        while (rs.next()) {
          rows++;
          long row = rs.getLong("id");
          Map<String, String> answers = given.get(row);
          long right = answers.values().stream().filter(a -> a.equals(truth(row))).count();
          if (right * 2 > answers.size()) {
            majorityRight++;
            assertEquals(truth(row), rs.getString("label"), "row " + row + ": " + answers);
          }
          assertEquals(plurality(answers.values()), rs.getString("label"), "row " + row);
          assertEquals("human", rs.getString("label_source"));
        }
        assertEquals(ROWS, rows);
      }
      assertTrue(majorityRight >= ROWS * 2 / 3, "most items have a right majority");

      // The manifest: one row per item with who answered, the agreement and the answers needed.
      Path manifest = activities.artifacts().resolve(label.artifacts().get("manifest"));
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT item_key, route, label, source, annotators, agreement,"
                      + " annotators_wanted FROM read_parquet('"
                      + manifest
                      + "') ORDER BY item_key")) {
        int rows = 0;
        while (rs.next()) {
          long row = rs.getLong("item_key");
          assertEquals(rows++, row);
          Map<String, String> answers = given.get(row);
          assertEquals("people", rs.getString("route"));
          assertEquals("human", rs.getString("source"));
          assertEquals(plurality(answers.values()), rs.getString("label"), "row " + row);
          assertEquals(
              answers.keySet(),
              new TreeSet<>(List.of(rs.getString("annotators").split(","))),
              "row " + row);
          long top =
              counts(answers.values()).values().stream()
                  .mapToLong(Long::longValue)
                  .max()
                  .orElseThrow();
          assertEquals((double) top / answers.size(), rs.getDouble("agreement"), 1e-9);
          assertEquals(answers.size(), rs.getInt("annotators_wanted"), "row " + row);
        }
        assertEquals(ROWS, rows);
      }
      return new Outcome(given, label.metrics());
    }
  }

  private static boolean finished(PipelineWorkflow run) {
    RunState state = run.status().state();
    return state == RunState.SUCCEEDED || state == RunState.FAILED;
  }

  private static Map<String, Long> counts(java.util.Collection<String> answers) {
    Map<String, Long> counts = new HashMap<>();
    answers.forEach(a -> counts.merge(a, 1L, Long::sum));
    return counts;
  }

  /** The most frequent answer; a tie goes to the class listed first, as the step consolidates. */
  private static String plurality(java.util.Collection<String> answers) {
    Map<String, Long> counts = counts(answers);
    String best = null;
    for (String c : CLASSES) {
      if (counts.containsKey(c) && (best == null || counts.get(c) > counts.get(best))) {
        best = c;
      }
    }
    return best;
  }

  private static String runId(WorkflowClient client, String workflowId) {
    return client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
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
