package dev.lifecycle.activities.training;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.dsl.plan.Task;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.TrainingActivities;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a multilayer perceptron with DJL on the PyTorch engine (CPU, offline). Every epoch ends
 * with a checkpoint in the artifact store (weights, Adam state, model metadata) and a heartbeat
 * carrying a {@link TrainingProgress}; a retried attempt reads that progress and resumes after the
 * checkpoint's epoch, ending with the same weights as an uninterrupted run. Runs are reproducible:
 * the step's seed drives initialisation and each epoch's shuffle.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  private static final String CHECKPOINT_FILE = "checkpoint.json";
  private static final String OPTIMIZER_FILE = "optimizer.state";
  private static final int EVAL_BATCH = 4096;
  private static final ObjectMapper JSON = PlanJson.newMapper(false);

  /** Default longest time between heartbeats inside an epoch. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private final ArtifactStore artifacts;
  private final Duration heartbeatInterval;

  public TrainingActivitiesImpl(ArtifactStore artifacts) {
    this(artifacts, DEFAULT_HEARTBEAT_INTERVAL);
  }

  /**
   * An implementation that heartbeats at least every {@code heartbeatInterval} inside an epoch;
   * keep it well below the step's heartbeat timeout.
   */
  public TrainingActivitiesImpl(ArtifactStore artifacts, Duration heartbeatInterval) {
    this.artifacts = artifacts;
    this.heartbeatInterval = heartbeatInterval;
  }

  /** What {@value #CHECKPOINT_FILE} records beside the weights: which training it belongs to. */
  record CheckpointInfo(String fingerprint, int epoch, long elapsedMillis) {}

  /** Hyperparameters resolved from the step's inputs. */
  private record Settings(
      Train step, int epochs, int batchSize, float learningRate, String fingerprint) {}

  @Override
  public StepResult train(StepTask task) {
    if (!(task.step() instanceof Train step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a train step", FailureTypes.INVALID_PLAN);
    }
    Settings settings = settings(task, step);
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<Resume> resume =
        context.getHeartbeatDetails(TrainingProgress.class).flatMap(p -> resume(p, settings));
    if (resume.isPresent() && resume.get().info().epoch() >= settings.epochs()) {
      log.info(
          "Step '{}' already trained {} epochs: storing the final model",
          step.name(),
          settings.epochs());
      return finish(settings, resume.get(), 0, 0);
    }
    TrainingData train =
        TrainingData.load(artifacts, task.artifact("train"), "train", step, null, null);
    TrainingData validation =
        task.optionalArtifact("validation")
            .map(
                ref ->
                    TrainingData.load(
                        artifacts, ref, "validation", step, train.features(), train.classes()))
            .orElse(null);
    return fit(context, settings, train, validation, resume.orElse(null));
  }

  private Settings settings(StepTask task, Train step) {
    int epochs = task.integer("epochs");
    int batchSize = task.integer("batchSize");
    double learningRate = task.number("learningRate");
    if (epochs < 1) {
      throw invalidPlan(step, "epochs must be at least 1, got " + epochs);
    }
    if (batchSize < 1) {
      throw invalidPlan(step, "batchSize must be at least 1, got " + batchSize);
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw invalidPlan(step, "learningRate must be a positive number, got " + learningRate);
    }
    for (int width : step.hiddenLayers()) {
      if (width < 1) {
        throw invalidPlan(step, "hidden layer widths must be positive, got " + step.hiddenLayers());
      }
    }
    if (step.label() == null || step.label().isBlank()) {
      throw invalidPlan(step, "no label column is set");
    }
    // Epochs are left out: a checkpoint after epoch k is the same whatever the total.
    String fingerprint =
        sha256(
            String.join(
                "\n",
                "v1",
                step.label(),
                step.task().name(),
                step.hiddenLayers().toString(),
                String.valueOf(batchSize),
                String.valueOf((float) learningRate),
                String.valueOf(step.seed()),
                task.artifact("train").sha256(),
                task.optionalArtifact("validation").map(ArtifactRef::sha256).orElse("-")));
    return new Settings(step, epochs, batchSize, (float) learningRate, fingerprint);
  }

  /** A checkpoint to continue from, with what it recorded. */
  private record Resume(ArtifactRef ref, Path dir, CheckpointInfo info, ModelMetadata metadata) {}

  private Optional<Resume> resume(TrainingProgress progress, Settings settings) {
    if (progress.checkpoint() == null) {
      return Optional.empty();
    }
    String step = settings.step().name();
    try {
      Path dir = artifacts.resolve(progress.checkpoint());
      CheckpointInfo info = JSON.readValue(dir.resolve(CHECKPOINT_FILE).toFile(), CheckpointInfo.class);
      if (!info.fingerprint().equals(settings.fingerprint())) {
        log.warn(
            "Step '{}': the checkpoint in the heartbeat belongs to other data or settings;"
                + " training from the start",
            step);
        return Optional.empty();
      }
      log.info("Step '{}' resumes after epoch {} from {}", step, info.epoch(), progress.checkpoint().uri());
      return Optional.of(
          new Resume(progress.checkpoint(), dir, info, ModelBundle.readMetadata(dir)));
    } catch (ApplicationFailure | IOException e) {
      // A lost checkpoint costs time, not correctness: train again from the start.
      log.warn("Step '{}' cannot use its checkpoint ({}); training from the start", step, e.getMessage());
      return Optional.empty();
    }
  }

  private StepResult fit(
      ActivityExecutionContext context,
      Settings settings,
      TrainingData train,
      TrainingData validation,
      Resume resume) {
    Train step = settings.step();
    int outputs = step.task() == Task.CLASSIFICATION ? train.classes().size() : 1;
    int startEpoch = resume == null ? 0 : resume.info().epoch();
    long priorMillis = resume == null ? 0 : resume.info().elapsedMillis();
    int batchesPerEpoch = (train.rows() + settings.batchSize() - 1) / settings.batchSize();
    Engine.getEngine(ModelBundle.ENGINE).setRandomSeed(Long.hashCode(step.seed()));

    TrainingProgress progress =
        resume == null
            ? new TrainingProgress(0, settings.epochs(), 0, batchesPerEpoch, null, null, null, 0)
            : new TrainingProgress(
                startEpoch,
                settings.epochs(),
                0,
                batchesPerEpoch,
                resume.ref(),
                resume.metadata().metrics().get("train_loss"),
                resume.metadata().metrics().get("validation_loss"),
                priorMillis);
    context.heartbeat(progress);

    long started = System.nanoTime();
    try (Model model = Model.newInstance(ModelBundle.PARAMS_PREFIX, Device.cpu(), ModelBundle.ENGINE)) {
      model.setBlock(Networks.mlp(step.hiddenLayers(), outputs));
      NDManager stateManager = model.getNDManager().newSubManager();
      ResumableAdam adam = new ResumableAdam(settings.learningRate(), stateManager);
      if (resume != null) {
        loadCheckpoint(model, adam, resume.dir());
      }
      Loss loss =
          step.task() == Task.CLASSIFICATION
              ? Loss.softmaxCrossEntropyLoss("cross_entropy")
              : Loss.l2Loss("mse", 1f);
      DefaultTrainingConfig config =
          new DefaultTrainingConfig(loss).optOptimizer(adam).optDevices(new Device[] {Device.cpu()});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(settings.batchSize(), train.width()));
        adam.bind(model.getBlock());
        long lastBeat = System.nanoTime();
        for (int epoch = startEpoch + 1; epoch <= settings.epochs(); epoch++) {
          int[] order = shuffle(train.rows(), step.seed(), epoch);
          double lossSum = 0;
          for (int b = 0; b < batchesPerEpoch; b++) {
            int from = b * settings.batchSize();
            int to = Math.min(train.rows(), from + settings.batchSize());
            lossSum += trainBatch(trainer, train, order, from, to) * (to - from);
            if (System.nanoTime() - lastBeat >= heartbeatInterval.toNanos()) {
              context.heartbeat(
                  new TrainingProgress(
                      progress.epoch(),
                      settings.epochs(),
                      b + 1,
                      batchesPerEpoch,
                      progress.checkpoint(),
                      progress.trainLoss(),
                      progress.validationLoss(),
                      priorMillis + millisSince(started)));
              lastBeat = System.nanoTime();
            }
          }
          double trainLoss = lossSum / train.rows();
          Double validationLoss = validation == null ? null : evaluateLoss(trainer, validation);
          long elapsed = priorMillis + millisSince(started);
          ModelMetadata metadata = metadata(settings, train, epoch, trainLoss, validationLoss);
          ArtifactRef checkpoint =
              saveCheckpoint(model, adam, metadata, new CheckpointInfo(settings.fingerprint(), epoch, elapsed));
          progress =
              new TrainingProgress(
                  epoch,
                  settings.epochs(),
                  0,
                  batchesPerEpoch,
                  checkpoint,
                  trainLoss,
                  validationLoss,
                  elapsed);
          context.heartbeat(progress);
          lastBeat = System.nanoTime();
          log.debug(
              "Step '{}' epoch {}/{}: train loss {}, validation loss {}",
              step.name(),
              epoch,
              settings.epochs(),
              trainLoss,
              validationLoss);
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int trainedEpochs = settings.epochs() - startEpoch;
    double samplesPerSecond = trainedEpochs * (double) train.rows() / Math.max(seconds, 1e-9);
    Path dir = artifacts.resolve(progress.checkpoint());
    CheckpointInfo info = new CheckpointInfo(settings.fingerprint(), progress.epoch(), progress.elapsedMillis());
    return finish(
        settings,
        new Resume(progress.checkpoint(), dir, info, ModelBundle.readMetadata(dir)),
        trainedEpochs,
        samplesPerSecond);
  }

  /** One optimiser step on rows {@code order[from..to)}; returns the batch's mean loss. */
  private static double trainBatch(
      Trainer trainer, TrainingData data, int[] order, int from, int to) {
    int n = to - from;
    int width = data.width();
    float[] x = new float[n * width];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int row = order[from + i];
      System.arraycopy(data.x(), row * width, x, i * width, width);
      y[i] = data.y()[row];
    }
    try (NDManager batch = trainer.getManager().newSubManager()) {
      NDList input = new NDList(batch.create(x, new Shape(n, width)));
      NDList labels = new NDList(batch.create(y, new Shape(n)));
      double value;
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList predictions = trainer.forward(input, labels);
        NDArray loss = trainer.getLoss().evaluate(labels, predictions);
        collector.backward(loss);
        value = loss.getFloat();
      }
      trainer.step();
      return value;
    }
  }

  /** The loss over a whole dataset, without updating anything. */
  private static double evaluateLoss(Trainer trainer, TrainingData data) {
    double sum = 0;
    int width = data.width();
    for (int from = 0; from < data.rows(); from += EVAL_BATCH) {
      int n = Math.min(EVAL_BATCH, data.rows() - from);
      float[] x = new float[n * width];
      float[] y = new float[n];
      System.arraycopy(data.x(), from * width, x, 0, n * width);
      System.arraycopy(data.y(), from, y, 0, n);
      try (NDManager batch = trainer.getManager().newSubManager()) {
        NDList labels = new NDList(batch.create(y, new Shape(n)));
        NDList predictions = trainer.evaluate(new NDList(batch.create(x, new Shape(n, width))));
        sum += trainer.getLoss().evaluate(labels, predictions).getFloat() * (double) n;
      }
    }
    return sum / data.rows();
  }

  /**
   * The order of rows in {@code epoch}: a Fisher–Yates shuffle seeded by the step's seed and the
   * epoch alone, so that a resumed run shuffles epoch k exactly as an uninterrupted one.
   */
  static int[] shuffle(int rows, long seed, int epoch) {
    Random random = new Random(seed * 0x9E3779B97F4A7C15L + epoch);
    int[] order = new int[rows];
    for (int i = 0; i < rows; i++) {
      order[i] = i;
    }
    for (int i = rows - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  private static ModelMetadata metadata(
      Settings settings, TrainingData train, int epoch, double trainLoss, Double validationLoss) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train_loss", trainLoss);
    if (validationLoss != null) {
      metrics.put("validation_loss", validationLoss);
    }
    Train step = settings.step();
    return new ModelMetadata(
        ModelMetadata.FORMAT_VERSION,
        step.task(),
        train.features(),
        step.label(),
        step.hiddenLayers(),
        train.classes(),
        epoch,
        metrics,
        step.seed());
  }

  private ArtifactRef saveCheckpoint(
      Model model, ResumableAdam adam, ModelMetadata metadata, CheckpointInfo info) {
    Path dir = artifacts.scratch("checkpoint");
    try {
      model.setProperty("Epoch", String.valueOf(info.epoch()));
      model.save(dir, ModelBundle.PARAMS_PREFIX);
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(Files.newOutputStream(dir.resolve(OPTIMIZER_FILE))))) {
        adam.save(out);
      }
      ModelBundle.writeMetadata(dir, metadata);
      Files.writeString(dir.resolve(CHECKPOINT_FILE), JSON.writeValueAsString(info) + "\n");
      return artifacts.put(dir, ValueType.MODEL, "djl-checkpoint");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the checkpoint of epoch " + info.epoch(), e);
    } finally {
      deleteRecursively(dir);
    }
  }

  private static void loadCheckpoint(Model model, ResumableAdam adam, Path dir) {
    try {
      model.load(dir, ModelBundle.PARAMS_PREFIX);
      try (DataInputStream in =
          new DataInputStream(
              new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER_FILE))))) {
        adam.load(in);
      }
    } catch (IOException | MalformedModelException e) {
      throw new UncheckedIOException(
          "Cannot read the checkpoint in " + dir,
          e instanceof IOException io ? io : new IOException(e));
    }
  }

  /** Stores the model of the last checkpoint (weights and metadata) and builds the result. */
  private StepResult finish(
      Settings settings, Resume last, int trainedEpochs, double samplesPerSecond) {
    Path dir = artifacts.scratch("model");
    ArtifactRef model;
    try {
      try (Stream<Path> files = Files.list(last.dir())) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".params")).toList()) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
      ModelBundle.writeMetadata(dir, last.metadata());
      model = artifacts.put(dir, ValueType.MODEL, "djl");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store the trained model", e);
    } finally {
      deleteRecursively(dir);
    }
    Map<String, Double> metrics = last.metadata().metrics();
    StepResult.Builder result =
        StepResult.builder().artifact("model", model).value("epochs", last.info().epoch());
    StringBuilder summary =
        new StringBuilder(String.format(Locale.ROOT, "%d epochs", last.info().epoch()));
    Double trainLoss = metrics.get("train_loss");
    if (trainLoss != null) {
      result.metric("train_loss", trainLoss);
      summary.append(String.format(Locale.ROOT, ", train loss %.2f", trainLoss));
    }
    Double validationLoss = metrics.get("validation_loss");
    if (validationLoss != null) {
      result.metric("validation_loss", validationLoss);
      summary.append(String.format(Locale.ROOT, ", validation loss %.2f", validationLoss));
    }
    if (trainedEpochs > 0) {
      summary.append(String.format(Locale.ROOT, ", %,.0f samples/s", samplesPerSecond));
    }
    int resumedAfter = settings.epochs() - trainedEpochs;
    if (resumedAfter > 0) {
      summary.append(String.format(Locale.ROOT, " (resumed after epoch %d)", resumedAfter));
    }
    return result.summary(summary.toString()).build();
  }

  /** The rows of one dataset as a flat row-major float matrix and a label vector. */
  record TrainingData(
      List<String> features, List<String> classes, float[] x, float[] y, int rows, int width) {

    /**
     * Reads a dataset. {@code expectedFeatures} and {@code expectedClasses} come from the training
     * set when reading the validation set, which must have the same columns and no unseen class.
     */
    static TrainingData load(
        ArtifactStore artifacts,
        ArtifactRef ref,
        String input,
        Train step,
        List<String> expectedFeatures,
        List<String> expectedClasses) {
      String description = "dataset '" + input + "' of step '" + step.name() + "'";
      try (ParquetDataset data = ParquetDataset.open(artifacts.resolve(ref), description)) {
        String label = step.label();
        data.column(label);
        List<String> features = new ArrayList<>(data.columnNames());
        features.remove(label);
        if (features.isEmpty()) {
          throw invalidData(description + " has no feature columns besides label '" + label + "'");
        }
        if (expectedFeatures != null && !new HashSet<>(features).equals(new HashSet<>(expectedFeatures))) {
          List<String> missing = expectedFeatures.stream().filter(f -> !features.contains(f)).toList();
          List<String> extra = features.stream().filter(f -> !expectedFeatures.contains(f)).toList();
          throw invalidData(
              "The columns of "
                  + description
                  + " differ from the training set's; missing: "
                  + missing
                  + ", extra: "
                  + extra);
        }
        List<String> ordered = expectedFeatures == null ? List.copyOf(features) : expectedFeatures;
        data.requireNumeric(ordered);
        if (step.task() == Task.REGRESSION) {
          data.requireNumeric(List.of(label));
        }
        List<String> all = new ArrayList<>(ordered);
        all.add(label);
        data.requireNoNulls(all);
        float[][] matrix = data.readFloats(ordered);
        if (matrix.length == 0) {
          throw invalidData(description + " has no rows");
        }
        int width = ordered.size();
        float[] x = new float[matrix.length * width];
        for (int r = 0; r < matrix.length; r++) {
          System.arraycopy(matrix[r], 0, x, r * width, width);
        }
        float[] y = new float[matrix.length];
        List<String> classes = List.of();
        if (step.task() == Task.REGRESSION) {
          float[][] labels = data.readFloats(List.of(label));
          for (int r = 0; r < y.length; r++) {
            y[r] = labels[r][0];
          }
        } else {
          classes = expectedClasses == null ? data.distinctStrings(label) : expectedClasses;
          if (classes.size() < 2) {
            throw invalidData(
                "Label '"
                    + label
                    + "' of "
                    + description
                    + " has "
                    + classes.size()
                    + " class(es) "
                    + classes
                    + ": classification needs at least two");
          }
          Map<String, Integer> index = new HashMap<>();
          for (int i = 0; i < classes.size(); i++) {
            index.put(classes.get(i), i);
          }
          String[] values = data.readStrings(label);
          for (int r = 0; r < y.length; r++) {
            Integer k = index.get(values[r]);
            if (k == null) {
              throw invalidData(
                  "Label '"
                      + label
                      + "' of "
                      + description
                      + " has class '"
                      + values[r]
                      + "' at row "
                      + r
                      + " that the training set lacks; its classes are "
                      + classes);
            }
            y[r] = k;
          }
        }
        return new TrainingData(ordered, classes, x, y, matrix.length, width);
      }
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  private static ApplicationFailure invalidPlan(Train step, String message) {
    return ApplicationFailure.newNonRetryableFailure(
        "Step '" + step.name() + "': " + message, FailureTypes.INVALID_PLAN);
  }

  private static ApplicationFailure invalidData(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.INVALID_DATA);
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      log.warn("Cannot delete scratch {}: {}", path, e.getMessage());
    }
  }
}
