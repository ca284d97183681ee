package dev.lifecycle.activities.labeling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.labeling.LabelingRecords.Item;
import dev.lifecycle.activities.labeling.LabelingRecords.JobCounts;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingRecords.Route;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.TestDatabase;
import dev.lifecycle.activities.training.TestDatasets;
import dev.lifecycle.activities.training.TestModels;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.Label;
import dev.lifecycle.dsl.plan.LabelPolicy.Consolidation;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.labeling.LabelingInput;
import dev.lifecycle.workflows.labeling.LabelingState;
import dev.lifecycle.workflows.labeling.LabelingStatus;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Ground Truth loop on real activities, a real store and a real model, with time skipping: a
 * weak model auto-labels little at first; after every 40 human labels the workflow fine-tunes it on
 * the labels so far and re-scores the open items. A retrained model auto-labels only once it labels
 * the held-out random tenth as well as its threshold promises; then it takes over items people
 * would otherwise have labeled, and it is right on them.
 */
class GroundTruthLoopTest {
  private static final String QUEUE = "ground-truth";
  private static final int POOL = 300;

  @TempDir Path tempDir;

  @Test
  void retrainsEveryFortyHumanLabelsAndAutoLabelsWhatItBecomesSureOf() throws Exception {
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
      LifecycleWorkers.register(env.newWorker(QUEUE), activities.all().toArray());
      env.start();
      ArtifactStore artifacts = activities.artifacts();
      // Two epochs on 30 points: a model that is rarely sure of anything.
      ArtifactRef weak =
          TestModels.train(
              artifacts,
              Task.CLASSIFICATION,
              "kind",
              TestDatasets.classification(artifacts, tempDir, "seed", 30, 1),
              2);
      ArtifactRef pool = TestDatasets.classification(artifacts, tempDir, "pool", POOL, 3);
      List<String> truth = truth(artifacts.resolve(pool));
      Label step =
          LabelSteps.withRetraining(
              LabelSteps.step(
                  List.of("inner", "left", "right"),
                  1,
                  Consolidation.MAJORITY,
                  null,
                  true,
                  0.9,
                  null,
                  List.of("ana")),
              40,
              30,
              0.01);
      StepTask task = LabelSteps.task(step, pool, weak);

      LabelingWorkflow job =
          env.getWorkflowClient()
              .newWorkflowStub(
                  LabelingWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setTaskQueue(QUEUE)
                      .setWorkflowId("run-wf/label/label")
                      .build());
      WorkflowExecution execution = WorkflowClient.start(job::run, new LabelingInput(task, null));
      awaitWaiting(job);
      LabelingStore store = LabelingStore.of(activities.metadata());
      long jobId = store.jobByRun("run-1", "label").orElseThrow().id();
      JobCounts prepared = store.counts(jobId);
      Set<Long> firstAuto =
          store.items(jobId).stream()
              .filter(i -> i.route() == Route.AUTO)
              .map(Item::key)
              .collect(Collectors.toSet());
      long ana = store.annotator("ana").orElseThrow().id();

      // Ana (always right) labels 40 items a simulated day, until nothing is left for her.
      int answered = 0;
      for (int day = 0; day < 20 && !done(job); day++) {
        for (int k = 0; k < 40; k++) {
          Optional<NextItem> next = store.next(jobId, ana, Duration.ofMinutes(10));
          if (next.isEmpty()) {
            break;
          }
          long row = next.get().item().key();
          store.submit(jobId, row, ana, truth.get((int) row));
          answered++;
        }
        job.answersChanged();
        env.sleep(Duration.ofDays(1));
      }
      StepResult result = WorkflowStub.fromTyped(job).getResult(StepResult.class);
      LabelingStatus status = job.progress();

      assertTrue(status.retrains() >= 1, "the model was retrained: " + status);
      double auto = result.metrics().get("auto_labeled");
      double human = result.metrics().get("human_labeled");
      assertEquals(POOL, auto + human, 1e-9, "every item is labeled: " + result.metrics());
      assertEquals(answered, human, 1e-9);
      assertTrue(
          auto > prepared.autoLabeled(),
          "retrained models auto-labeled more than the first one ("
              + prepared.autoLabeled()
              + "): "
              + result.metrics());
      assertTrue(
          human < prepared.forPeople(),
          "people labeled fewer items than first queued for them ("
              + prepared.forPeople()
              + "): "
              + result.metrics());

      // What the retrained models labeled, they labeled with confidence and mostly right.
      Path manifest = artifacts.resolve(result.artifacts().get("manifest"));
      int autoRows = 0;
      int autoRight = 0;
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT item_key, label, confidence FROM read_parquet('"
                      + manifest
                      + "') WHERE source = 'auto'")) {
        while (rs.next()) {
          assertTrue(rs.getDouble("confidence") >= 0.9, "confident: " + rs.getDouble(3));
          if (firstAuto.contains(rs.getLong("item_key"))) {
            continue;
          }
          autoRows++;
          if (rs.getString("label").equals(truth.get(rs.getInt("item_key")))) {
            autoRight++;
          }
        }
      }
      assertEquals(auto - firstAuto.size(), autoRows, 1e-9);
      assertTrue(
          autoRight >= 0.85 * autoRows, autoRight + " of " + autoRows + " auto labels right");
      assertTrue(
          execution.getRunId() != null && status.state() == LabelingState.DONE, status.toString());
    }
  }

  private static boolean done(LabelingWorkflow job) {
    return job.progress().state() == LabelingState.DONE;
  }

  private static List<String> truth(Path pool) throws Exception {
    List<String> kinds = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT kind FROM read_parquet('"
                    + pool
                    + "', file_row_number = true)"
                    + " ORDER BY file_row_number")) {
      while (rs.next()) {
        kinds.add(rs.getString(1));
      }
    }
    return kinds;
  }

  private static void awaitWaiting(LabelingWorkflow job) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (true) {
      try {
        if (job.progress().state() == LabelingState.WAITING) {
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
