package dev.lifecycle.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleSettings;
import dev.lifecycle.activities.data.DataActivitiesImpl;
import dev.lifecycle.activities.deployment.DeploymentActivitiesImpl;
import dev.lifecycle.activities.evaluation.EvaluationActivitiesImpl;
import dev.lifecycle.activities.plan.PlanActivitiesImpl;
import dev.lifecycle.activities.registry.RegistryActivitiesImpl;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.training.TrainingActivitiesImpl;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.examples.fashion.FashionFinetunePipeline;
import dev.lifecycle.examples.fashion.FashionFinetunePipeline.Start;
import dev.lifecycle.examples.fashion.FashionMnistShift;
import dev.lifecycle.examples.fashion.FashionPretrainPipeline;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.LifecycleWorkers;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.StepStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The transfer-learning experiment of {@code BENCHMARKS.md}: does fine-tuning the Fashion-MNIST
 * base model beat training from scratch on a few labelled images from a new camera?
 *
 * <p>Everything runs as Lifecycle pipelines through {@code PipelineWorkflow} on an in-memory
 * Temporal test server with the real activities (DuckDB ingest and split, DJL training, evaluation,
 * the H2 model registry under a fresh {@code LIFECYCLE_HOME}):
 *
 * <ol>
 *   <li>{@link FashionMnistShift#prepare} writes the shifted data set (seed 42);
 *   <li>{@code fashion-pretrain} trains the base CNN on the 58,000 pretraining images and registers
 *       it as {@code fashion-base};
 *   <li>for each number of labels (100, 500, 2,000 shifted training images) and each {@link Start}
 *       (frozen convolutions and a new head, as {@code fashion-finetune}; every layer with a new
 *       head; from scratch), the {@code fashion-finetune} plan of that start runs with the same
 *       split, epochs budget, early stopping and seed, and is scored on the same 2,000 shifted test
 *       images.
 * </ol>
 *
 * <p>Usage: {@code bench/transfer.sh [--pretrain-epochs 2] [--epochs 30] [--labels 100,500,2000]
 * [--threads 2] [--home DIR]}.
 */
public final class TransferExperiment {
  private static final String QUEUE = "transfer-experiment";

  private TransferExperiment() {}

  /** One fine-tuning or from-scratch run's outcome. */
  record Outcome(
      int labels, Start start, double accuracy, Object epochs, Object bestEpoch, double seconds) {}

  public static void main(String[] args) throws Exception {
    int pretrainEpochs = 2;
    int epochs = 30;
    int threads = 2;
    List<Integer> labelCounts = FashionMnistShift.LABEL_SUBSETS;
    Path home = null;
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + args[i] + " needs a value");
      }
      String value = args[i + 1];
      switch (args[i]) {
        case "--pretrain-epochs" -> pretrainEpochs = Integer.parseInt(value);
        case "--epochs" -> epochs = Integer.parseInt(value);
        case "--threads" -> threads = Integer.parseInt(value);
        case "--labels" ->
            labelCounts = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
        case "--home" -> home = Path.of(value);
        default ->
            throw new IllegalArgumentException(
                "Unknown option "
                    + args[i]
                    + "; known: --pretrain-epochs --epochs --labels --threads --home");
      }
    }
    for (int labels : labelCounts) {
      if (!FashionMnistShift.LABEL_SUBSETS.contains(labels)) {
        throw new IllegalArgumentException(
            "No labelled subset of "
                + labels
                + " images; prepared: "
                + FashionMnistShift.LABEL_SUBSETS);
      }
    }
    // Read by DJL's PyTorch engine when it loads, which happens in the first train step.
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", String.valueOf(threads));
    if (home == null) {
      home = Files.createTempDirectory("lifecycle-transfer-");
    }
    Path data = home.resolve(FashionMnistShift.DATA_FOLDER);
    long started = System.nanoTime();
    FashionMnistShift.prepare(data);
    System.out.printf(
        Locale.ROOT,
        "Prepared the shifted Fashion-MNIST files in %s (%.0f s)%n",
        data,
        seconds(started));

    LifecycleSettings settings = LifecycleSettings.of(home, null, null, null);
    ArtifactStore artifacts = new LocalArtifactStore(settings.artifacts());
    Map<Start, PipelinePlan> plans = new LinkedHashMap<>();
    for (Start start : Start.values()) {
      plans.put(start, new FashionFinetunePipeline(data, start).define().compile());
    }
    PipelinePlan pretrain = new FashionPretrainPipeline(data).define().compile();
    try (MetadataStore metadata = MetadataStore.open(settings);
        TestWorkflowEnvironment env =
            TestWorkflowEnvironment.newInstance(
                TestEnvironmentOptions.newBuilder()
                    .setWorkflowClientOptions(
                        WorkflowClientOptions.newBuilder()
                            .setDataConverter(LifecycleDataConverter.create())
                            .build())
                    .build())) {
      LifecycleWorkers.searchAttributes().forEach(env::registerSearchAttribute);
      Worker worker = env.newWorker(QUEUE);
      LifecycleWorkers.register(
          worker,
          new PlanActivitiesImpl(
              PipelineRegistry.of(
                  new FashionPretrainPipeline(data),
                  new FashionFinetunePipeline(data, Start.FROZEN_FEATURES))),
          new DataActivitiesImpl(artifacts, metadata),
          new TrainingActivitiesImpl(artifacts, metadata),
          new EvaluationActivitiesImpl(artifacts),
          new RegistryActivitiesImpl(metadata),
          new DeploymentActivitiesImpl(artifacts));
      env.start();
      WorkflowClient client = env.getWorkflowClient();

      long pretrainStart = System.nanoTime();
      RunStatus base =
          run(client, pretrain, Map.of("epochs", pretrainEpochs, "accuracyThreshold", 0.0));
      double pretrainSeconds = seconds(pretrainStart);
      System.out.printf(
          Locale.ROOT,
          "fashion-pretrain: %d epochs on %s, original t10k accuracy %.4f, %.0f s (train step:"
              + " %s)%n",
          pretrainEpochs,
          "the pretraining images",
          base.step("evaluate").metrics().get("accuracy"),
          pretrainSeconds,
          base.step("train").message());

      List<Outcome> outcomes = new ArrayList<>();
      for (int labels : labelCounts) {
        for (Start start : Start.values()) {
          long runStart = System.nanoTime();
          RunStatus status =
              run(
                  client,
                  plans.get(start),
                  Map.of(
                      "images",
                      FashionMnistShift.shiftedTrainSubset(data, labels).toString(),
                      "epochs",
                      epochs,
                      "accuracyThreshold",
                      0.0));
          StepStatus train = status.step("train");
          Outcome outcome =
              new Outcome(
                  labels,
                  start,
                  status.step("evaluate").metrics().get("accuracy"),
                  train.values().get("epochs"),
                  train.values().get("bestEpoch"),
                  seconds(runStart));
          outcomes.add(outcome);
          System.out.printf(
              Locale.ROOT,
              "%5d labels, %-15s accuracy %.4f (%s; %.0f s)%n",
              labels,
              start,
              outcome.accuracy(),
              train.message(),
              outcome.seconds());
        }
      }
      System.out.println();
      System.out.println(
          "| labelled shifted images | fine-tuned, convolutions frozen | fine-tuned, all layers |"
              + " from scratch |");
      System.out.println("|---|---|---|---|");
      for (int labels : labelCounts) {
        StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %,d |", labels));
        for (Start start : Start.values()) {
          Outcome o =
              outcomes.stream()
                  .filter(x -> x.labels() == labels && x.start() == start)
                  .findFirst()
                  .orElseThrow();
          row.append(
              String.format(
                  Locale.ROOT,
                  " %.3f (best epoch %s of %s, %.0f s) |",
                  o.accuracy(),
                  o.bestEpoch(),
                  o.epochs(),
                  o.seconds()));
        }
        System.out.println(row);
      }
      System.out.printf(Locale.ROOT, "total %.0f s%n", seconds(started));
    }
  }

  private static RunStatus run(
      WorkflowClient client, PipelinePlan plan, Map<String, Object> parameters) {
    ObjectNode input = PlanJson.strict().createObjectNode();
    input.set("plan", PlanJson.strict().valueToTree(plan));
    input.set("parameters", PlanJson.strict().valueToTree(parameters));
    PipelineWorkflow workflow =
        client.newWorkflowStub(
            PipelineWorkflow.class, WorkflowOptions.newBuilder().setTaskQueue(QUEUE).build());
    RunStatus status = workflow.run(input);
    if (status.state() != RunState.SUCCEEDED) {
      throw new IllegalStateException(
          "Pipeline " + plan.name() + " ended " + status.state() + ": " + status.message());
    }
    return status;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
