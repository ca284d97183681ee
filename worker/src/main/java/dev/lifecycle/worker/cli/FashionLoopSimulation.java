package dev.lifecycle.worker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lifecycle.activities.LifecycleActivities;
import dev.lifecycle.activities.deployment.serving.Prediction;
import dev.lifecycle.activities.labeling.LabelingRecords.Job;
import dev.lifecycle.activities.labeling.LabelingRecords.JobStatus;
import dev.lifecycle.activities.labeling.LabelingRecords.NextItem;
import dev.lifecycle.activities.labeling.LabelingStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.examples.fashion.FashionLabelPipeline;
import dev.lifecycle.examples.fashion.FashionLoopPipeline;
import dev.lifecycle.examples.fashion.FashionMnist;
import dev.lifecycle.examples.fashion.FashionMnistShift;
import dev.lifecycle.examples.fashion.FashionPretrainPipeline;
import dev.lifecycle.workflows.Names;
import dev.lifecycle.workflows.PipelineWorkflow;
import dev.lifecycle.workflows.RunState;
import dev.lifecycle.workflows.RunStatus;
import dev.lifecycle.workflows.labeling.LabelingWorkflow;
import dev.lifecycle.workflows.monitoring.MonitoringState;
import dev.lifecycle.workflows.monitoring.MonitoringWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The {@code fashion-loop} example end to end, with <em>simulated</em> traffic and
 * <em>simulated</em> annotators: a base CNN is pretrained on original Fashion-MNIST images; the
 * first {@code fashion-loop} run has a launch sample labeled and deploys the model at endpoint
 * {@code fashion} with its monitor; then, day after day, clients send images to the endpoint, from
 * the original camera and after {@link Sizes#shiftAfterDays} days from the new one ({@link
 * dev.lifecycle.examples.fashion.CameraShift}); the monitor finds the drift, starts a retraining
 * run on the captured images, the annotators label them, and the run deploys the fine-tuned model
 * when it beats production. The served accuracy on the new camera's images is counted per model
 * version, before and after.
 *
 * <p>What is simulated: the clients (requests go to the endpoint in this process; each image's true
 * class is known to the simulation and to no one else), the annotators ({@link #ANNOTATORS},
 * answering through the labeling store with their error rates), and the passing of days ({@link
 * Days}: a time-skipping test server, or the monitor's {@code run-now} signal). Everything else —
 * pipeline runs, labeling workflow, training, registry, serving with data capture, the monitor and
 * its checks — is the real thing.
 */
public final class FashionLoopSimulation {

  /** The simulated annotators and their error rates, seeded. */
  public static final Map<String, Double> ANNOTATORS = errorRates();

  /** The seed of every random draw of the simulation. */
  static final long SEED = 17;

  /** How a simulated day passes: when {@link #advance} returns, the monitor checked that day. */
  public interface Days {
    void advance() throws InterruptedException;
  }

  /**
   * The sizes of a simulation.
   *
   * @param pretrainImages original training images the base model learns from
   * @param pretrainEpochs its epochs
   * @param launchImages the launch sample: original images the first run has labeled
   * @param testImages the new camera's labeled test images every run is scored on
   * @param epochs fine-tuning epochs of every {@code fashion-loop} run
   * @param days simulated days of traffic
   * @param shiftAfterDays days of original-camera traffic before the new camera takes over
   * @param requestsBefore requests a day from the original camera
   * @param requestsAfter requests a day from the new camera
   */
  public record Sizes(
      int pretrainImages,
      int pretrainEpochs,
      int launchImages,
      int testImages,
      int epochs,
      int days,
      int shiftAfterDays,
      int requestsBefore,
      int requestsAfter) {

    /** What {@code ./lifecycle demo loop} and the loop's test run. */
    public static final Sizes DEFAULT = new Sizes(2000, 2, 200, 300, 10, 60, 30, 20, 100);

    /** Images of the test set's original camera the traffic draws from. */
    int trafficPool() {
      return shiftAfterDays * requestsBefore + (days - shiftAfterDays) * requestsAfter;
    }
  }

  /**
   * What happened.
   *
   * @param launch the first run
   * @param alertDays the days whose check alerted (1-based)
   * @param retrainRuns the retraining runs the monitor started, with how each ended
   * @param launchVersion the version the first run deployed
   * @param productionVersion the production version at the end
   * @param servedOnNewCamera per model version: new-camera requests it answered, and how many right
   * @param monitor the monitor's status at the end
   */
  public record Outcome(
      RunStatus launch,
      List<Integer> alertDays,
      Map<String, RunStatus> retrainRuns,
      int launchVersion,
      int productionVersion,
      Map<Integer, int[]> servedOnNewCamera,
      MonitoringState monitor) {

    /** Served accuracy on the new camera's images of {@code version}; NaN when it served none. */
    public double accuracy(int version) {
      int[] counts = servedOnNewCamera.get(version);
      return counts == null || counts[0] == 0 ? Double.NaN : (double) counts[1] / counts[0];
    }

    /** How many new-camera requests {@code version} answered. */
    public int served(int version) {
      int[] counts = servedOnNewCamera.get(version);
      return counts == null ? 0 : counts[0];
    }
  }

  private final WorkflowClient client;
  private final String taskQueue;
  private final LifecycleActivities activities;
  private final Path dataDir;
  private final Sizes sizes;
  private final PrintStream out;
  private final Map<String, Integer> truth = new HashMap<>();
  private final Map<Long, Map<Long, Integer>> jobTruth = new HashMap<>();
  private final Random answers = new Random(SEED);

  /**
   * A simulation whose runs go to {@code taskQueue} through {@code client}, served and labeled
   * through {@code activities} (the same process's), with its data files in {@code dataDir}.
   */
  public FashionLoopSimulation(
      WorkflowClient client,
      String taskQueue,
      LifecycleActivities activities,
      Path dataDir,
      Sizes sizes,
      PrintStream out) {
    this.client = client;
    this.taskQueue = taskQueue;
    this.activities = activities;
    this.dataDir = dataDir;
    this.sizes = sizes;
    this.out = out;
  }

  /** The files the runs read, in {@code dataDir}. */
  record Files(Path pretrain, Path originalTest, Path launchSample, Path newCameraTest) {}

  /** Images of the traffic: the original camera's, then the new camera's, with their classes. */
  record Traffic(FashionMnist.Images original, FashionMnist.Images shifted, byte[] labels) {}

  /**
   * Pretrains the base model, launches the loop, then runs {@code sizes.days()} days of traffic,
   * each followed by {@code days.advance()}; waits for every retraining run the monitor starts.
   */
  public Outcome run(Days days) throws InterruptedException {
    Files files;
    Traffic traffic;
    try {
      files = writeFiles();
      traffic = traffic();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot prepare the simulation's data in " + dataDir, e);
    }

    out.printf(
        "Pretraining the base model on %d original images (%d epochs)...%n",
        sizes.pretrainImages(), sizes.pretrainEpochs());
    RunStatus base =
        await(
            start(
                "fashion-loop-pretrain",
                FashionPretrainPipeline.NAME,
                Map.of(
                    "images",
                    files.pretrain().toString(),
                    "testImages",
                    files.originalTest().toString(),
                    "epochs",
                    sizes.pretrainEpochs(),
                    "accuracyThreshold",
                    0.5)));
    require(base, "the base model's pretraining");
    out.printf(
        "  fashion-base registered: accuracy %s on original test images%n",
        fmt(base.step("evaluate").metrics().get("accuracy")));

    out.printf(
        "Launch: %d simulated annotators (%s) label %d original images; fine-tune; deploy...%n",
        ANNOTATORS.size(), describeAnnotators(), sizes.launchImages());
    RunStatus launch =
        await(
            start(
                "fashion-loop-launch",
                FashionLoopPipeline.NAME,
                Map.of(
                    "images",
                    files.launchSample().toString(),
                    "testImages",
                    files.newCameraTest().toString(),
                    "epochs",
                    sizes.epochs())));
    require(launch, "the launch run");
    int launchVersion = version(launch);
    out.printf(
        "  fashion v%d deployed at /endpoints/fashion/invocations (%s); new-camera test accuracy"
            + " %s; monitor/fashion watches pixel_mean and pixel_std daily%n",
        launchVersion,
        launch.step("beats-production").message(),
        fmt(launch.step("evaluate").metrics().get("accuracy")));

    MonitoringWorkflow monitor =
        client.newWorkflowStub(
            MonitoringWorkflow.class, Names.monitorId(FashionLoopPipeline.ENDPOINT));
    Map<Integer, int[]> served = new TreeMap<>();
    List<Integer> alertDays = new ArrayList<>();
    Map<String, RunStatus> retrains = new LinkedHashMap<>();
    int nextOriginal = 0;
    int nextShifted = 0;
    long alerts = 0;
    for (int day = 1; day <= sizes.days(); day++) {
      boolean newCamera = day > sizes.shiftAfterDays();
      int requests = newCamera ? sizes.requestsAfter() : sizes.requestsBefore();
      int right = 0;
      for (int r = 0; r < requests; r++) {
        int index = newCamera ? nextShifted++ : nextOriginal++;
        FashionMnist.Images images = newCamera ? traffic.shifted() : traffic.original();
        int offset = newCamera ? sizes.shiftAfterDays() * sizes.requestsBefore() : 0;
        int label = traffic.labels()[offset + index];
        Prediction p = invoke(images.image(index));
        boolean correct = String.valueOf(label).equals(String.valueOf(p.predictions().get(0)));
        right += correct ? 1 : 0;
        if (newCamera) {
          int[] counts = served.computeIfAbsent(p.modelVersion(), v -> new int[2]);
          counts[0]++;
          counts[1] += correct ? 1 : 0;
        }
      }
      days.advance();
      MonitoringState state = monitor.status();
      boolean alerted = state.alertsSent() > alerts;
      alerts = state.alertsSent();
      if (alerted) {
        alertDays.add(day);
      }
      String report =
          state.lastReport() == null
              ? "no report"
              : state.lastReport().status()
                  + (state.lastReport().driftedFeatures().isEmpty()
                      ? ""
                      : " " + state.lastReport().driftedFeatures());
      out.printf(
          "day %2d: %3d requests from the %s camera, %3d answered right; monitor: %s%s%n",
          day, requests, newCamera ? "new" : "original", right, report, alerted ? " — ALERT" : "");
      for (String id : state.retrainRuns()) {
        if (!retrains.containsKey(id)) {
          out.printf("  %s started: the simulated annotators label the drifted images...%n", id);
          RunStatus result = await(id);
          retrains.put(id, result);
          out.printf(
              "  %s %s: %s%n",
              id,
              result.state().name().toLowerCase(Locale.ROOT),
              result.state() == RunState.SUCCEEDED
                  ? "fashion v"
                      + version(result)
                      + " deployed, "
                      + result.step("beats-production").message()
                  : result.message());
        }
      }
    }
    int production =
        activities
            .metadata()
            .models()
            .byAlias(FashionLoopPipeline.MODEL_NAME, "production")
            .map(m -> m.version())
            .orElse(-1);
    return new Outcome(
        launch, alertDays, retrains, launchVersion, production, served, monitor.status());
  }

  /** Starts {@code pipeline} as workflow {@code id} with {@code parameters}. */
  String start(String id, String pipeline, Map<String, Object> parameters) {
    ObjectNode input = PlanJson.lenient().createObjectNode();
    input.put("pipeline", pipeline);
    input.set("parameters", PlanJson.lenient().valueToTree(parameters));
    PipelineWorkflow run =
        client.newWorkflowStub(
            PipelineWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(id).build());
    WorkflowClient.start(run::run, input);
    return id;
  }

  /**
   * Waits for run {@code id} to close, the simulated annotators answering whatever labeling job is
   * open meanwhile; polls rather than blocking, so a time-skipping server does not skip past the
   * labeling deadlines while people are still answering.
   */
  RunStatus await(String id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
    WorkflowStub stub = client.newUntypedWorkflowStub(id);
    while (true) {
      annotateOpenJobs();
      WorkflowExecutionStatus status;
      try {
        status = stub.describe().getWorkflowExecutionInfo().getStatus();
      } catch (RuntimeException notYet) {
        status = WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
      }
      if (status != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        // The status query, not getResult: a failed run's result is its failure, and on a
        // time-skipping test server getResult lets time jump ahead (to the monitor's next check,
        // before that day's traffic) even when the run has already closed.
        return stub.query("status", RunStatus.class);
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Run " + id + " did not finish within 30 minutes");
      }
      Thread.sleep(250);
    }
  }

  /** Every annotator answers every item of every open job that they may answer. */
  void annotateOpenJobs() {
    LabelingStore store = LabelingStore.of(activities.metadata());
    for (Job job : store.jobs(JobStatus.OPEN)) {
      Map<Long, Integer> classes = jobTruth.computeIfAbsent(job.id(), k -> truthOf(job));
      boolean answered = false;
      for (Map.Entry<String, Double> annotator : ANNOTATORS.entrySet()) {
        long who = store.annotator(annotator.getKey()).orElseThrow().id();
        while (true) {
          java.util.Optional<NextItem> next = store.next(job.id(), who, Duration.ofMinutes(10));
          if (next.isEmpty()) {
            break;
          }
          long key = next.get().item().key();
          Integer right = classes.get(key);
          if (right == null) {
            throw new IllegalStateException(
                "Item "
                    + key
                    + " of labeling job "
                    + job.id()
                    + " is no image the simulation sent");
          }
          int answer = right;
          if (answers.nextDouble() < annotator.getValue()) {
            answer = (right + 1 + answers.nextInt(9)) % 10;
          }
          store.submit(job.id(), key, who, String.valueOf(answer));
          answered = true;
        }
      }
      if (answered && job.workflowId() != null) {
        client.newWorkflowStub(LabelingWorkflow.class, job.workflowId()).answersChanged();
      }
    }
  }

  /** The true class of each row of the job's dataset, found by the row's pixels. */
  private Map<Long, Integer> truthOf(Job job) {
    Path file = Path.of(URI.create(job.datasetUri()));
    Map<Long, Integer> classes = new HashMap<>();
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement();
        ResultSet rows =
            st.executeQuery(
                "SELECT file_row_number, image FROM read_parquet('"
                    + file.toString().replace("'", "''")
                    + "', file_row_number = true)")) {
      while (rows.next()) {
        Integer label = truth.get(key(rows.getBytes(2)));
        if (label != null) {
          classes.put(rows.getLong(1), label);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Cannot read labeling job " + job.id() + "'s images", e);
    }
    return classes;
  }

  private Prediction invoke(byte[] pixels) {
    ObjectNode body = PlanJson.lenient().createObjectNode();
    ArrayNode image = body.putArray("instances").addObject().putArray("image");
    for (byte b : pixels) {
      image.add((b & 0xff) / 255f);
    }
    return activities.serving().endpoint(FashionLoopPipeline.ENDPOINT).invoke(body);
  }

  /**
   * The files of the runs: the base model's training and test images (original camera), the launch
   * sample (original camera, unlabeled, as Parquet) and the new camera's test images.
   */
  Files writeFiles() throws IOException {
    java.nio.file.Files.createDirectories(dataDir);
    Path source = FashionMnist.DIRECTORY;
    FashionMnist.Images train =
        FashionMnist.readImages(FashionMnist.images(source, FashionMnist.TRAIN));
    byte[] trainLabels = FashionMnist.readLabels(FashionMnist.labels(source, FashionMnist.TRAIN));
    FashionMnist.Images test =
        FashionMnist.readImages(FashionMnist.images(source, FashionMnist.TEST));
    byte[] testLabels = FashionMnist.readLabels(FashionMnist.labels(source, FashionMnist.TEST));
    int pretrain = sizes.pretrainImages();
    int launch = sizes.launchImages();
    int tests = sizes.testImages();

    Path pretrainImages = FashionMnist.images(dataDir, "loop-pretrain");
    FashionMnist.writeImages(pretrainImages, train.range(0, pretrain));
    FashionMnist.writeLabels(
        FashionMnist.labels(dataDir, "loop-pretrain"), Arrays.copyOf(trainLabels, pretrain));

    // Test images: [0, tests) scores models on both cameras; the traffic comes after them.
    Path originalTest = FashionMnist.images(dataDir, "loop-original-test");
    FashionMnist.writeImages(originalTest, test.range(0, tests));
    FashionMnist.writeLabels(
        FashionMnist.labels(dataDir, "loop-original-test"), Arrays.copyOf(testLabels, tests));
    Path newCameraTest = FashionMnist.images(dataDir, "loop-new-camera-test");
    FashionMnist.writeImages(
        newCameraTest,
        FashionMnistShift.shift(
            test, 0, tests, FashionMnistShift.SEED, FashionMnistShift.TEST_STREAM));
    FashionMnist.writeLabels(
        FashionMnist.labels(dataDir, "loop-new-camera-test"), Arrays.copyOf(testLabels, tests));

    FashionMnist.Images sample = train.range(pretrain, pretrain + launch);
    for (int i = 0; i < launch; i++) {
      truth.put(key(sample.image(i)), (int) trainLabels[pretrain + i]);
    }
    Path launchSample = FashionLoopPipeline.launchSample(dataDir);
    writeParquet(launchSample, sample);
    return new Files(pretrainImages, originalTest, launchSample, newCameraTest);
  }

  /** The traffic: test images after the test set, original then shifted, all with known truth. */
  Traffic traffic() throws IOException {
    Path source = FashionMnist.DIRECTORY;
    FashionMnist.Images test =
        FashionMnist.readImages(FashionMnist.images(source, FashionMnist.TEST));
    byte[] testLabels = FashionMnist.readLabels(FashionMnist.labels(source, FashionMnist.TEST));
    int from = sizes.testImages();
    int before = sizes.shiftAfterDays() * sizes.requestsBefore();
    int to = from + sizes.trafficPool();
    if (to > test.count()) {
      throw new IllegalArgumentException(
          "The traffic needs " + sizes.trafficPool() + " images after the test images; too many");
    }
    FashionMnist.Images original = test.range(from, from + before);
    FashionMnist.Images shifted =
        FashionMnistShift.shift(
            test, from + before, to, FashionMnistShift.SEED, FashionMnistShift.TEST_STREAM);
    byte[] labels = Arrays.copyOfRange(testLabels, from, to);
    for (int i = 0; i < original.count(); i++) {
      truth.put(key(original.image(i)), (int) labels[i]);
    }
    for (int i = 0; i < shifted.count(); i++) {
      truth.put(key(shifted.image(i)), (int) labels[before + i]);
    }
    return new Traffic(original, shifted, labels);
  }

  /** Writes {@code images} as a Parquet image dataset (the layout image ingests write). */
  static void writeParquet(Path file, FashionMnist.Images images) throws IOException {
    java.nio.file.Files.deleteIfExists(file);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = db.createStatement()) {
      st.execute(
          "CREATE TABLE data (source_index BIGINT NOT NULL, height INTEGER NOT NULL,"
              + " width INTEGER NOT NULL, channels INTEGER NOT NULL, image BLOB NOT NULL)");
      try (PreparedStatement insert =
          db.prepareStatement("INSERT INTO data VALUES (?, ?, ?, 1, ?)")) {
        for (int i = 0; i < images.count(); i++) {
          insert.setLong(1, i);
          insert.setInt(2, images.height());
          insert.setInt(3, images.width());
          insert.setBytes(4, images.image(i));
          insert.addBatch();
        }
        insert.executeBatch();
      }
      st.execute(
          "COPY (SELECT * FROM data ORDER BY source_index) TO '"
              + file.toString().replace("'", "''")
              + "' (FORMAT parquet)");
    } catch (SQLException e) {
      throw new IOException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static String key(byte[] pixels) {
    return Base64.getEncoder().encodeToString(pixels);
  }

  private static int version(RunStatus run) {
    Object version = run.step("register").values().get("version");
    return ((Number) version).intValue();
  }

  private static void require(RunStatus run, String what) {
    if (run.state() != RunState.SUCCEEDED) {
      throw new IllegalStateException(what + " ended " + run.state() + ": " + run.message());
    }
  }

  private static String fmt(Double value) {
    return value == null ? "?" : String.format(Locale.ROOT, "%.3f", value);
  }

  private static String describeAnnotators() {
    List<String> parts = new ArrayList<>();
    ANNOTATORS.forEach(
        (name, error) ->
            parts.add(String.format(Locale.ROOT, "%s %.0f%% errors", name, error * 100)));
    return String.join(", ", parts);
  }

  private static Map<String, Double> errorRates() {
    Map<String, Double> rates = new LinkedHashMap<>();
    List<String> names = FashionLabelPipeline.ANNOTATORS;
    double[] errors = {0.0, 0.05, 0.1};
    for (int i = 0; i < names.size(); i++) {
      rates.put(names.get(i), errors[i % errors.length]);
    }
    return java.util.Collections.unmodifiableMap(rates);
  }
}
