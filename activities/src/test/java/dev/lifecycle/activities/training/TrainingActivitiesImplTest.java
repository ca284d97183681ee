package dev.lifecycle.activities.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.lifecycle.activities.store.LocalArtifactStore;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.OutputRef;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.LifecycleDataConverter;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestEnvironmentOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class TrainingActivitiesImplTest {
  @TempDir Path tmp;
  private LocalArtifactStore store;
  private TestActivityEnvironment env;
  private final List<TrainingProgress> heartbeats = new ArrayList<>();

  @BeforeEach
  void setUp() {
    store = new LocalArtifactStore(tmp.resolve("artifacts"));
    env = newEnvironment();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private TestActivityEnvironment newEnvironment() {
    return newEnvironment(TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL);
  }

  private TestActivityEnvironment newEnvironment(Duration heartbeatInterval) {
    TestActivityEnvironment e =
        TestActivityEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(LifecycleDataConverter.create())
                        .build())
                .build());
    e.registerActivitiesImplementations(new TrainingActivitiesImpl(store, heartbeatInterval));
    e.setActivityHeartbeatListener(TrainingProgress.class, heartbeats::add);
    return e;
  }

  private TrainingActivities stub(TestActivityEnvironment e) {
    return stub(e, Duration.ofMinutes(2));
  }

  private TrainingActivities stub(TestActivityEnvironment e, Duration heartbeatTimeout) {
    return e.newActivityStub(
        TrainingActivities.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(10))
            .setHeartbeatTimeout(heartbeatTimeout)
            .build());
  }

  public static Train step(
      Task task, String label, List<Integer> hidden, boolean validation, long seed) {
    return new Train(
        "train",
        new OutputRef("features", "train"),
        validation ? new OutputRef("features", "validation") : null,
        label,
        task,
        hidden,
        new Literal(1),
        new Literal(1),
        new Literal(0.01),
        seed,
        null,
        null);
  }

  public static StepTask task(
      Train step, Map<String, ArtifactRef> data, int epochs, int batchSize, double lr) {
    return new StepTask(
        new RunInfo("wf-1", "run-1", "test", "plan", Map.of()),
        step,
        data,
        Map.of("epochs", epochs, "batchSize", batchSize, "learningRate", lr));
  }

  @Test
  void trainsRegressionDownToTheNoiseLevel() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 512, 0.1, 1);
    ArtifactRef validation = TestDatasets.regression(store, tmp, "validation", 128, 0.1, 2);
    StepResult result =
        stub(env)
            .train(
                task(
                    step(Task.REGRESSION, "y", List.of(16), true, 7),
                    Map.of("train", train, "validation", validation),
                    30,
                    32,
                    0.01));

    assertEquals(30, result.values().get("epochs"));
    // The target's variance is 3^2 + 2^2 + 0.5^2 = 13.25: the mean predictor's loss.
    double trainLoss = result.metrics().get("train_loss");
    assertTrue(trainLoss < 13.25 / 100, "train MSE " + trainLoss);
    // The noise variance is 0.01: a well-fit model's validation MSE lands close to it.
    double validationLoss = result.metrics().get("validation_loss");
    assertTrue(validationLoss < 0.03, "validation MSE " + validationLoss);
    assertTrue(result.summary().startsWith("30 epochs, train loss "), result.summary());

    try (ModelBundle model = ModelBundle.load(store.resolve(result.artifacts().get("model")))) {
      assertEquals(List.of("x0", "x1", "x2"), model.metadata().featureColumns());
      assertEquals(30, model.metadata().epochs());
      float[] p = model.predict(new float[][] {{0, 0, 0}, {1, 1, 1}});
      assertEquals(1.0, p[0], 0.1);
      assertEquals(2.5, p[1], 0.1);
    }
  }

  @Test
  void trainsAClassifierOverSortedClasses() throws Exception {
    ArtifactRef train = TestDatasets.classification(store, tmp, "train", 600, 5);
    ArtifactRef validation = TestDatasets.classification(store, tmp, "validation", 200, 6);
    StepResult result =
        stub(env)
            .train(
                task(
                    step(Task.CLASSIFICATION, "kind", List.of(16), true, 7),
                    Map.of("train", train, "validation", validation),
                    40,
                    32,
                    0.01));
    double validationLoss = result.metrics().get("validation_loss");
    assertTrue(validationLoss < 0.35, "validation cross-entropy " + validationLoss);

    try (ModelBundle model = ModelBundle.load(store.resolve(result.artifacts().get("model")));
        ParquetDataset data = ParquetDataset.open(store.resolve(validation), "validation")) {
      assertEquals(List.of("inner", "left", "right"), model.metadata().classes());
      float[][] rows = data.readFloats(List.of("a", "b"));
      String[] labels = data.readStrings("kind");
      float[][] probabilities = model.predictProbabilities(rows);
      int correct = 0;
      for (int r = 0; r < rows.length; r++) {
        int best = 0;
        for (int k = 1; k < 3; k++) {
          best = probabilities[r][k] > probabilities[r][best] ? k : best;
        }
        assertEquals(1.0, probabilities[r][0] + probabilities[r][1] + probabilities[r][2], 1e-5);
        correct += model.metadata().classes().get(best).equals(labels[r]) ? 1 : 0;
      }
      assertTrue(correct >= 0.85 * rows.length, correct + " of " + rows.length + " correct");
    }
  }

  @Test
  void stopsEarlyAtTheEpochTheRuleChoosesAndKeepsTheBestWeights() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 256, 0.1, 1);
    // The validation labels contradict the training labels: the better the fit, the worse the
    // validation loss, so it stops improving within a few epochs.
    ArtifactRef validation =
        TestDatasets.fromSql(
            store,
            tmp,
            "validation",
            "SELECT x0, x1, x2, -y AS y FROM read_parquet('"
                + store.resolve(TestDatasets.regression(store, tmp, "v", 64, 0.1, 2))
                + "')");
    int maxEpochs = 30;
    StepTask task =
        task(
            step(Task.REGRESSION, "y", List.of(8), true, 7)
                .withEarlyStopping(new EarlyStopping(null, 0.0, 2)),
            Map.of("train", train, "validation", validation),
            maxEpochs,
            16,
            0.01);
    StepResult result = stub(env).train(task);

    // The validation curve, read back from the checkpoint stored after every epoch.
    Map<Integer, Path> checkpoints = new java.util.TreeMap<>();
    try (Stream<Path> walk = Files.walk(store.root().resolve("sha256"))) {
      for (Path info :
          walk.filter(p -> p.getFileName().toString().equals("checkpoint.json")).toList()) {
        int epoch = Integer.parseInt(readString(info).replaceAll("(?s).*\"epoch\":(\\d+).*", "$1"));
        checkpoints.put(epoch, info.getParent());
      }
    }
    EarlyStoppingRule rule = new EarlyStoppingRule(0.0, 2);
    EarlyStoppingRule.State state = EarlyStoppingRule.State.START;
    int stoppedAt = 0;
    for (Map.Entry<Integer, Path> checkpoint : checkpoints.entrySet()) {
      double loss =
          ModelBundle.readMetadata(checkpoint.getValue()).metrics().get("validation_loss");
      state = rule.observe(state, checkpoint.getKey(), loss);
      if (state.stop()) {
        stoppedAt = checkpoint.getKey();
        break;
      }
    }
    assertTrue(stoppedAt > 0 && stoppedAt < maxEpochs, "never stopped: " + checkpoints.keySet());
    assertEquals(
        stoppedAt, checkpoints.size(), "trained past the stopping epoch: " + checkpoints.keySet());
    assertEquals(stoppedAt, result.values().get("epochs"));
    assertEquals(state.bestEpoch(), result.values().get("bestEpoch"));
    assertEquals(state.best(), result.metrics().get("validation_loss"));
    assertTrue(result.summary().contains("stopped early"), result.summary());

    // The stored model is the best epoch's checkpoint, not the last one.
    Path best = checkpoints.get(state.bestEpoch());
    Path model = store.resolve(result.artifacts().get("model"));
    Map<String, byte[]> bestWeights = TrainTasks.weights(best);
    assertEquals(bestWeights.keySet(), TrainTasks.weights(model).keySet());
    bestWeights.forEach(
        (name, bytes) ->
            org.junit.jupiter.api.Assertions.assertArrayEquals(
                bytes, weightsOf(model, name), name));
    if (state.bestEpoch() != stoppedAt) {
      org.junit.jupiter.api.Assertions.assertNotEquals(
          java.util.Arrays.toString(
              TrainTasks.weights(checkpoints.get(stoppedAt)).get("head.weight")),
          java.util.Arrays.toString(bestWeights.get("head.weight")));
    }
    ModelMetadata metadata = ModelBundle.readMetadata(model);
    assertEquals(state.bestEpoch(), metadata.epochs());
    assertEquals(stoppedAt, metadata.trainedEpochs());
  }

  private static byte[] weightsOf(Path model, String name) {
    try {
      return TrainTasks.weights(model).get(name);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void rejectsNonNumericFeatureNamingColumnAndDataset() throws Exception {
    ArtifactRef train =
        TestDatasets.fromSql(
            store, tmp, "train", "SELECT 'red' AS colour, 1.5 AS size, 3.0 AS y FROM range(10)");
    ApplicationFailure failure =
        trainFailure(
            task(
                step(Task.REGRESSION, "y", List.of(4), false, 1),
                Map.of("train", train),
                1,
                4,
                0.01));
    assertEquals(FailureTypes.INVALID_DATA, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("'colour'"), failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains("dataset 'train'"), failure.getOriginalMessage());
  }

  @Test
  void rejectsNullFeatureNamingColumn() throws Exception {
    ArtifactRef train =
        TestDatasets.fromSql(
            store,
            tmp,
            "train",
            "SELECT CASE WHEN range = 3 THEN NULL ELSE range * 1.0 END AS size, 2.0 AS y FROM range(10)");
    ApplicationFailure failure =
        trainFailure(
            task(
                step(Task.REGRESSION, "y", List.of(4), false, 1),
                Map.of("train", train),
                1,
                4,
                0.01));
    assertEquals(FailureTypes.INVALID_DATA, failure.getType());
    assertTrue(failure.getOriginalMessage().contains("'size'"), failure.getOriginalMessage());
    assertTrue(failure.getOriginalMessage().contains("1 NULL"), failure.getOriginalMessage());
  }

  @Test
  void rejectsMissingLabelColumn() throws Exception {
    ArtifactRef train =
        TestDatasets.fromSql(
            store, tmp, "train", "SELECT 1.0 AS size, 2.0 AS rings FROM range(10)");
    ApplicationFailure failure =
        trainFailure(
            task(
                step(Task.REGRESSION, "y", List.of(4), false, 1),
                Map.of("train", train),
                1,
                4,
                0.01));
    assertEquals(FailureTypes.INVALID_DATA, failure.getType());
    assertTrue(
        failure.getOriginalMessage().contains("'y' is missing"), failure.getOriginalMessage());
  }

  private ApplicationFailure trainFailure(StepTask task) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, () -> stub(env).train(task));
    return (ApplicationFailure) failure.getCause();
  }

  @Test
  void trainsTheSameWeightsTwiceFromOneSeed() throws Exception {
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 256, 0.1, 1);
    StepTask task =
        task(step(Task.REGRESSION, "y", List.of(8), false, 3), Map.of("train", train), 3, 16, 0.01);
    ArtifactRef first = stub(env).train(task).artifacts().get("model");
    ArtifactRef second = stub(env).train(task).artifacts().get("model");
    assertEquals(first.sha256(), second.sha256());

    StepTask otherSeed =
        task(step(Task.REGRESSION, "y", List.of(8), false, 4), Map.of("train", train), 3, 16, 0.01);
    assertNotEquals(first.sha256(), stub(env).train(otherSeed).artifacts().get("model").sha256());
  }

  @Test
  void resumesTrainingFromLastCheckpoint() throws Exception {
    // A cancelled attempt of an earlier test may still be training in this JVM until its next
    // heartbeat; its random draws between another training's seed and initialisation would give
    // that training other initial weights (seen once in CI: head.bias 0.108 apart). Start alone.
    TrainTasks.awaitNoTraining(Duration.ofSeconds(60));
    ArtifactRef train = TestDatasets.regression(store, tmp, "train", 1024, 0.1, 1);
    ArtifactRef validation = TestDatasets.regression(store, tmp, "validation", 128, 0.1, 2);
    int epochs = 20;
    StepTask task =
        task(
            step(Task.REGRESSION, "y", List.of(16), true, 11),
            Map.of("train", train, "validation", validation),
            epochs,
            16,
            0.005);
    List<TrainingProgress> uninterruptedBeats = new ArrayList<>();
    env.setActivityHeartbeatListener(TrainingProgress.class, uninterruptedBeats::add);
    StepResult uninterrupted = stub(env).train(task);

    // Interrupt a second run by cancelling it once a checkpoint has been heartbeated.
    heartbeats.clear();
    TestActivityEnvironment interrupted = newEnvironment(Duration.ofMillis(100));
    List<TrainingProgress> seen = new ArrayList<>();
    interrupted.setActivityHeartbeatListener(
        TrainingProgress.class,
        p -> {
          seen.add(p);
          if (p.epoch() >= 2) {
            interrupted.requestCancelActivity();
          }
        });
    assertThrows(CanceledFailure.class, () -> stub(interrupted, Duration.ofSeconds(1)).train(task));
    interrupted.close();
    // The cancelled attempt notices at its next heartbeat (at most 0.8 s here, longer on a loaded
    // machine); TestActivityEnvironment does not wait for it. Side by side the two attempts would
    // still train correctly (the gradient collector is shared under a lock), but the retry must
    // start from a checkpoint the cancelled attempt no longer moves past.
    TrainTasks.awaitNoTraining(Duration.ofSeconds(60));
    TrainingProgress last = seen.get(seen.size() - 1);
    int done = last.epoch();
    assertTrue(done >= 2 && done < epochs, "interrupted after epoch " + done);

    TestActivityEnvironment retry =
        newEnvironment(TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL);
    List<TrainingProgress> resumedBeats = new ArrayList<>();
    retry.setActivityHeartbeatListener(TrainingProgress.class, resumedBeats::add);
    retry.setHeartbeatDetails(last);
    StepResult resumed = stub(retry).train(task);
    retry.close();

    // The retry's first heartbeat, sent before any training, already stands at the checkpoint.
    assertEquals(done, resumedBeats.get(0).epoch());
    assertEquals(last.checkpoint(), resumedBeats.get(0).checkpoint());
    assertTrue(resumedBeats.stream().allMatch(p -> p.epoch() >= done), resumedBeats.toString());
    assertTrue(resumed.summary().endsWith("(resumed after epoch " + done + ")"), resumed.summary());
    assertEquals(epochs, resumed.values().get("epochs"));
    // What a retry restores is exactly what was saved: the checkpoint's weights and Adam state
    // (moments and step counts), read back and written again, give the same bytes.
    assertRestoresExactly(store.resolve(last.checkpoint()), done);

    // Weights, Adam moments, step counts and the shuffle order are all restored, so the resumed
    // model is normally bit-identical to the uninterrupted one, metrics and content hash included.
    // libtorch does not promise bit-identical results between two runs of the same computation
    // on a CPU, and twice in about twenty CI runs they were not: once 0.108 apart (a cancelled
    // attempt was still training beside the test then; the test now waits for it), once 5.2e-5
    // in head.bias after 20 epochs with nothing else training. Thirty-five runs here under heavy
    // load were bit-identical. So: identical, or within 1e-3 of every weight (which a resume from
    // the wrong epoch, lost optimizer state or another shuffle order is far beyond), said in the
    // log with where the runs parted.
    Map<String, byte[]> expected =
        TrainTasks.weights(store.resolve(uninterrupted.artifacts().get("model")));
    Map<String, byte[]> actual =
        TrainTasks.weights(store.resolve(resumed.artifacts().get("model")));
    assertEquals(expected.keySet(), actual.keySet());
    double largest = 0;
    for (String parameter : expected.keySet()) {
      assertEquals(expected.get(parameter).length, actual.get(parameter).length, parameter);
      largest =
          Math.max(largest, largestDifference(expected.get(parameter), actual.get(parameter)));
    }
    boolean identical =
        expected.keySet().stream()
            .allMatch(k -> java.util.Arrays.equals(expected.get(k), actual.get(k)));
    if (identical) {
      assertEquals(uninterrupted.metrics(), resumed.metrics());
      assertEquals(uninterrupted.artifacts().get("model"), resumed.artifacts().get("model"));
    } else {
      String where = divergence(uninterruptedBeats, seen, resumedBeats);
      System.err.printf(
          "resumesTrainingFromLastCheckpoint: resumed after epoch %d, weights not bit-identical:"
              + " largest difference %.3g; by epoch %s%n",
          done, largest, where);
      assertTrue(
          largest <= 1e-3,
          "Resumed after epoch "
              + done
              + ", the weights differ by up to "
              + largest
              + "; by epoch, the largest difference between the runs' checkpoints: "
              + where);
      for (String metric : uninterrupted.metrics().keySet()) {
        assertEquals(
            uninterrupted.metrics().get(metric), resumed.metrics().get(metric), 1e-3, metric);
      }
    }

    // A retry after the last epoch trains nothing and returns the same model.
    List<TrainingProgress> finalBeats = new ArrayList<>();
    TestActivityEnvironment again =
        newEnvironment(TrainingActivitiesImpl.DEFAULT_HEARTBEAT_INTERVAL);
    again.setActivityHeartbeatListener(TrainingProgress.class, finalBeats::add);
    again.setHeartbeatDetails(finalProgress(store, uninterrupted, epochs));
    StepResult idempotent = stub(again).train(task);
    again.close();
    assertEquals(uninterrupted.artifacts().get("model"), idempotent.artifacts().get("model"));
    assertTrue(finalBeats.isEmpty(), finalBeats.toString());
  }

  /**
   * Loads the optimizer state of the checkpoint in {@code dir} as a retry does (Adam's moments and
   * step counts, keyed by parameter name), writes it again, and asserts the bytes are those of the
   * checkpoint; and that the checkpoint's network loads with a value for every parameter.
   */
  private void assertRestoresExactly(Path dir, int epoch) throws Exception {
    Path again = Files.createDirectories(tmp.resolve("restored-" + epoch));
    try (ai.djl.ndarray.NDManager manager =
        ai.djl.ndarray.NDManager.newBaseManager(ModelBundle.ENGINE)) {
      ResumableAdam adam = new ResumableAdam(0.001f, manager);
      try (java.io.DataInputStream in =
          new java.io.DataInputStream(
              Files.newInputStream(dir.resolve(TrainingActivitiesImpl.OPTIMIZER_FILE)))) {
        adam.load(in);
      }
      try (java.io.DataOutputStream out =
          new java.io.DataOutputStream(
              Files.newOutputStream(again.resolve(TrainingActivitiesImpl.OPTIMIZER_FILE)))) {
        adam.save(out);
      }
    }
    assertArrayEquals(
        Files.readAllBytes(dir.resolve(TrainingActivitiesImpl.OPTIMIZER_FILE)),
        Files.readAllBytes(again.resolve(TrainingActivitiesImpl.OPTIMIZER_FILE)),
        "optimizer state after a round trip");
    Map<String, byte[]> weights = TrainTasks.weights(dir);
    assertTrue(!weights.isEmpty() && weights.values().stream().allMatch(w -> w.length > 0));
  }

  /**
   * For each epoch checkpointed by the uninterrupted run and by the interrupted or resumed one, the
   * largest difference of any weight between the two: where a resumed run first parts from the
   * uninterrupted one.
   */
  private String divergence(
      List<TrainingProgress> reference,
      List<TrainingProgress> interrupted,
      List<TrainingProgress> resumed)
      throws Exception {
    Map<Integer, ArtifactRef> expected = checkpointsByEpoch(reference);
    Map<Integer, ArtifactRef> actual = checkpointsByEpoch(interrupted);
    actual.putAll(checkpointsByEpoch(resumed));
    Map<Integer, Double> largest = new java.util.TreeMap<>();
    for (Map.Entry<Integer, ArtifactRef> e : actual.entrySet()) {
      ArtifactRef ref = expected.get(e.getKey());
      if (ref == null) {
        continue;
      }
      Map<String, byte[]> a = TrainTasks.weights(store.resolve(ref));
      Map<String, byte[]> b = TrainTasks.weights(store.resolve(e.getValue()));
      double d = 0;
      for (String name : a.keySet()) {
        d = Math.max(d, largestDifference(a.get(name), b.get(name)));
      }
      largest.put(e.getKey(), d);
    }
    return largest.toString();
  }

  private static Map<Integer, ArtifactRef> checkpointsByEpoch(List<TrainingProgress> beats) {
    Map<Integer, ArtifactRef> byEpoch = new java.util.TreeMap<>();
    for (TrainingProgress p : beats) {
      if (p.checkpoint() != null) {
        byEpoch.put(p.epoch(), p.checkpoint());
      }
    }
    return byEpoch;
  }

  /** The progress a heartbeat after the last epoch carries, found among the stored checkpoints. */
  private static TrainingProgress finalProgress(
      LocalArtifactStore store, StepResult result, int epochs) throws Exception {
    List<Path> checkpoints;
    try (Stream<Path> walk = Files.walk(store.root().resolve("sha256"))) {
      checkpoints =
          walk.filter(p -> p.getFileName().toString().equals("checkpoint.json"))
              .filter(p -> readString(p).contains("\"epoch\":" + epochs + ","))
              .map(Path::getParent)
              .toList();
    }
    // The interrupted and the uninterrupted run each stored one; they differ only in elapsed time.
    assertTrue(!checkpoints.isEmpty(), "no checkpoint of epoch " + epochs);
    ArtifactRef checkpoint =
        store.put(checkpoints.get(0), dev.lifecycle.dsl.plan.ValueType.MODEL, "djl-checkpoint");
    return new TrainingProgress(
        epochs,
        epochs,
        0,
        0,
        checkpoint,
        result.metrics().get("train_loss"),
        result.metrics().get("validation_loss"),
        0);
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double largestDifference(byte[] expected, byte[] actual) {
    float[] e = floats(expected);
    float[] a = floats(actual);
    double largest = 0;
    for (int i = 0; i < Math.min(e.length, a.length); i++) {
      largest = Math.max(largest, Math.abs(e[i] - a[i]));
    }
    return largest;
  }

  private static float[] floats(byte[] bytes) {
    java.nio.FloatBuffer buffer =
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
    float[] values = new float[buffer.remaining()];
    buffer.get(values);
    return values;
  }
}
