package dev.lifecycle.examples.fashion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepStatus;
import dev.lifecycle.workflows.labeling.LabelingState;
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
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fashion-label} end to end on real activities, with time skipping and shrunken data: a base
 * CNN is trained and registered by {@code fashion-pretrain} on 3,000 images; {@code fashion-label}
 * auto-labels a 300-image pool of unseen images with it, three simulated annotators with known
 * error rates answer the rest through the labeling store over simulated days, and the labeled
 * images fine-tune the base model, whose accuracy the run measures on 5,000 test images.
 */
class FashionLabelPipelineRunTest {
  private static final String QUEUE = "fashion-label-run";
  private static final int POOL = 300;

  @TempDir Path home;

  @Test
  void labelsThePoolWithPeopleAndTheBaseModelAndTrainsOnTheLabels() throws Exception {
    Path data = home.resolve("data");
    Path debian = FashionMnist.DIRECTORY;
    FashionMnist.Images pretrain =
        FashionMnist.readImages(FashionMnist.images(debian, FashionMnist.TRAIN)).range(0, 3000);
    byte[] pretrainLabels =
        FashionMnist.readLabels(FashionMnist.labels(debian, FashionMnist.TRAIN));
    java.nio.file.Files.createDirectories(data);
    FashionMnist.writeImages(FashionMnist.images(data, "pretrain-small"), pretrain);
    FashionMnist.writeLabels(
        FashionMnist.labels(data, "pretrain-small"), java.util.Arrays.copyOf(pretrainLabels, 3000));
    FashionLabelPool.write(data, POOL);
    byte[] truth = FashionMnist.readLabels(FashionLabelPool.answers(data));

    PipelineRegistry pipelines =
        PipelineRegistry.of(new FashionPretrainPipeline(data), new FashionLabelPipeline(data));
    try (LifecycleActivities activities =
            LifecycleActivities.open(LifecycleSettings.of(home, null, null, null), pipelines);
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
      WorkflowClient client = env.getWorkflowClient();

      RunStatus base =
          run(
              client,
              "pretrain",
              FashionPretrainPipeline.NAME,
              Map.of(
                  "images",
                  FashionMnist.images(data, "pretrain-small").toString(),
                  "testImages",
                  FashionLabelPool.testImages(data).toString(),
                  "epochs",
                  2,
                  "accuracyThreshold",
                  0.5));
      assertEquals(RunState.SUCCEEDED, base.state(), base.message());

      PipelineWorkflow labeling = start(client, "label", FashionLabelPipeline.NAME, Map.of());
      LabelingWorkflow job = client.newWorkflowStub(LabelingWorkflow.class, "label/label/label");
      awaitWaiting(job);
      LabelingStore store = LabelingStore.of(activities.metadata());
      String runId = client.newUntypedWorkflowStub("label").describe().getExecution().getRunId();
      long jobId = store.jobByRun(runId, "label").orElseThrow().id();
      Map<String, Double> errorRates = Map.of("ana", 0.0, "ben", 0.1, "chen", 0.2);
      Random random = new Random(11);
      for (int day = 0; day < 10 && job.progress().state() != LabelingState.DONE; day++) {
        for (String who : FashionLabelPipeline.ANNOTATORS) {
          long id = store.annotator(who).orElseThrow().id();
          for (int k = 0; k < 150; k++) {
            Optional<NextItem> next = store.next(jobId, id, Duration.ofMinutes(10));
            if (next.isEmpty()) {
              break;
            }
            int row = (int) next.get().item().key();
            int answer = truth[row];
            if (random.nextDouble() < errorRates.get(who)) {
              answer = (answer + 1 + random.nextInt(9)) % 10;
            }
            store.submit(jobId, row, id, String.valueOf(answer));
          }
          job.answersChanged();
        }
        env.sleep(Duration.ofDays(1));
      }

      RunStatus result = WorkflowStub.fromTyped(labeling).getResult(RunStatus.class);
      assertEquals(RunState.SUCCEEDED, result.state(), result.message());
      StepStatus label = result.step("label");
      assertEquals((double) POOL, label.metrics().get("labeled"), label.metrics().toString());
      assertTrue(label.metrics().get("human_labeled") > 0, label.metrics().toString());
      assertTrue(label.metrics().get("auto_labeled") > 0, label.metrics().toString());

      // The labels: people's consensus is nearly always right, the model's mostly.
      Path labeled = activities.artifacts().resolve(label.artifacts().get("dataset"));
      int[] right = new int[2];
      int[] total = new int[2];
      try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT file_row_number AS row, label, label_source FROM read_parquet('"
                      + labeled
                      + "', file_row_number = true)")) {
        while (rs.next()) {
          int source = rs.getString("label_source").equals("human") ? 0 : 1;
          total[source]++;
          if (rs.getString("label").equals(String.valueOf(truth[rs.getInt("row")]))) {
            right[source]++;
          }
        }
      }
      assertEquals(POOL, total[0] + total[1]);
      assertTrue(right[0] >= 0.95 * total[0], right[0] + " of " + total[0] + " human labels right");
      assertTrue(right[1] >= 0.85 * total[1], right[1] + " of " + total[1] + " auto labels right");

      // The fine-tuned model, measured by the run on test images it never saw.
      double accuracy = result.step("evaluate").metrics().get("accuracy");
      assertTrue(accuracy >= 0.6, "test accuracy " + accuracy);
      Map<String, Double> registered =
          activities
              .metadata()
              .models()
              .latest(FashionLabelPipeline.MODEL_NAME)
              .orElseThrow()
              .metrics();
      assertTrue(
          registered.values().stream().anyMatch(v -> Math.abs(v - accuracy) < 1e-12),
          "registered with its accuracy: " + registered);
      System.out.printf(
          "fashion-label: %d human (%d right), %d auto (%d right), test accuracy %.3f%n",
          total[0], right[0], total[1], right[1], accuracy);
    }
  }

  private static PipelineWorkflow start(
      WorkflowClient client, String id, String pipeline, Map<String, Object> parameters) {
    ObjectNode input = PlanJson.strict().createObjectNode();
    input.put("pipeline", pipeline);
    input.set("parameters", PlanJson.strict().valueToTree(parameters));
    PipelineWorkflow run =
        client.newWorkflowStub(
            PipelineWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build());
    WorkflowClient.start(run::run, input);
    return run;
  }

  private static RunStatus run(
      WorkflowClient client, String id, String pipeline, Map<String, Object> parameters) {
    return WorkflowStub.fromTyped(start(client, id, pipeline, parameters))
        .getResult(RunStatus.class);
  }

  private static void awaitWaiting(LabelingWorkflow job) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
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
      Thread.sleep(200);
    }
  }
}
