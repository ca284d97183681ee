package dev.lifecycle.activities.training;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.Trainer;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.dsl.plan.Architecture;
import dev.lifecycle.dsl.plan.EarlyStopping;
import dev.lifecycle.dsl.plan.FineTune;
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
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
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
 * Trains a model with DJL on the PyTorch engine (CPU, offline): an MLP over numeric columns, the
 * CNN of {@link Networks} over an image dataset, or a pretrained model (a Lifecycle model or a
 * TorchScript module) fine-tuned on the training set. Every epoch ends with a checkpoint in the
 * artifact store (weights, Adam state, model metadata, early-stopping state) and a heartbeat
 * carrying a {@link TrainingProgress}; a retried attempt reads that progress and resumes after the
 * checkpoint's epoch, ending with the same weights as an uninterrupted run. Runs are reproducible:
 * the step's seed drives initialisation and each epoch's shuffle.
 *
 * <p>Fine-tuning freezes parameters after the trainer exists and is initialised, because DJL's
 * {@code PtModel.newTrainer()} unfreezes every parameter of a loaded model and initialisation
 * re-enables their gradients; the optimizer skips frozen parameters as well. Names to freeze or to
 * tune are checked against the loaded model: an unknown one fails the step with {@code
 * INVALID_PLAN}, listing the model's parameter and block names. A TorchScript classifier's outputs
 * are taken to be the training labels' classes in sorted order.
 *
 * <p>With a {@link MetadataStore} every run is recorded as an experiment ({@link
 * MetadataStore#experiments()}): at the start (running), after each epoch's checkpoint (its
 * metrics), and at the end (succeeded with the model and final metrics, or failed or cancelled). A
 * retry or resumed attempt updates the same run and rewrites only the epochs it trains again. A
 * failing store never fails training: it is logged and training goes on, since the metrics also
 * travel in the heartbeats and the model's metadata.
 */
public final class TrainingActivitiesImpl implements TrainingActivities {
  private static final Logger log = LoggerFactory.getLogger(TrainingActivitiesImpl.class);
  private static final String CHECKPOINT_FILE = "checkpoint.json";
  static final String OPTIMIZER_FILE = "optimizer.state";
  private static final int EVAL_BATCH = 4096;
  private static final ObjectMapper JSON = PlanJson.newMapper(false);

  /** Default longest time between heartbeats inside an epoch. */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);

  private final ArtifactStore artifacts;
  private final MetadataStore metadata;
  private final Duration heartbeatInterval;
  private final Duration progressInterval;

  /**
   * Default shortest time between two {@code training-progress} signals to the run (the first and
   * last epoch always report).
   */
  public static final Duration DEFAULT_PROGRESS_INTERVAL = Duration.ofSeconds(30);

  /**
   * An implementation without a model registry: pretrained models are earlier steps' outputs, paths
   * and {@code file:} URIs; a {@code registry:} reference fails the step.
   */
  public TrainingActivitiesImpl(ArtifactStore artifacts) {
    this(artifacts, null, DEFAULT_HEARTBEAT_INTERVAL);
  }

  /**
   * An implementation that also resolves pretrained models given as {@link RegistryReference
   * registry references} ({@code registry:fashion-base/latest}) in {@code metadata}'s model
   * registry, and records every run in its experiment store.
   */
  public TrainingActivitiesImpl(ArtifactStore artifacts, MetadataStore metadata) {
    this(artifacts, metadata, DEFAULT_HEARTBEAT_INTERVAL);
  }

  /**
   * An implementation that heartbeats at least every {@code heartbeatInterval} inside an epoch;
   * keep it well below the step's heartbeat timeout.
   */
  public TrainingActivitiesImpl(ArtifactStore artifacts, Duration heartbeatInterval) {
    this(artifacts, null, heartbeatInterval);
  }

  /**
   * An implementation with a model registry and experiment store ({@code null} for none) that
   * heartbeats at least every {@code heartbeatInterval} inside an epoch.
   */
  public TrainingActivitiesImpl(
      ArtifactStore artifacts, MetadataStore metadata, Duration heartbeatInterval) {
    this(artifacts, metadata, heartbeatInterval, DEFAULT_PROGRESS_INTERVAL);
  }

  private TrainingActivitiesImpl(
      ArtifactStore artifacts,
      MetadataStore metadata,
      Duration heartbeatInterval,
      Duration progressInterval) {
    this.artifacts = artifacts;
    this.metadata = metadata;
    this.heartbeatInterval = heartbeatInterval;
    this.progressInterval = progressInterval;
  }

  /**
   * Reports progress to the run after every epoch however short, instead of at most every {@link
   * #DEFAULT_PROGRESS_INTERVAL}: for tests and demos with tiny epochs.
   */
  public TrainingActivitiesImpl withProgressInterval(Duration interval) {
    return new TrainingActivitiesImpl(artifacts, metadata, heartbeatInterval, interval);
  }

  /**
   * What {@value #CHECKPOINT_FILE} records beside the weights: which training it belongs to, and,
   * with early stopping, the rule's state and the checkpoint of the best epoch so far.
   */
  record CheckpointInfo(
      String fingerprint,
      int epoch,
      long elapsedMillis,
      EarlyStoppingRule.State stopping,
      ArtifactRef best) {

    boolean stopped() {
      return stopping != null && stopping.stop();
    }
  }

  /** Hyperparameters resolved from the step's inputs. */
  private record Settings(
      Train step,
      int epochs,
      int batchSize,
      float learningRate,
      String fingerprint,
      PretrainedModel pretrained,
      EarlyStoppingRule stopping) {}

  @Override
  public StepResult train(StepTask task) {
    if (!(task.step() instanceof Train step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + task.stepName() + "' is not a train step", FailureTypes.INVALID_PLAN);
    }
    Settings settings = settings(task, step);
    ExperimentRecorder recorder =
        metadata == null
            ? ExperimentRecorder.none(step.name())
            : ExperimentRecorder.started(
                metadata.experiments(),
                task,
                step,
                settings.epochs(),
                settings.batchSize(),
                task.number("learningRate"),
                settings.pretrained());
    StepResult result;
    try {
      result = train(task, settings, recorder);
    } catch (ActivityWorkerShutdownException e) {
      // The attempt is interrupted, not over: the retry resumes the same run, still RUNNING.
      throw e;
    } catch (ActivityCanceledException | CanceledFailure e) {
      recorder.ended(ExperimentStatus.CANCELLED, e);
      throw e;
    } catch (ActivityNotExistsException e) {
      // The server no longer knows this attempt: either its run ended (cancelled, or failed in
      // another step; a cancelled run does not wait for its activities) or the attempt timed out
      // and a retry took over. Only the first ends the experiment; the retry carries on with it.
      if (runEnded()) {
        recorder.ended(ExperimentStatus.CANCELLED, e);
      }
      throw e;
    } catch (RuntimeException | Error e) {
      recorder.ended(ExperimentStatus.FAILED, e);
      throw e;
    }
    recorder.succeeded(result);
    return result;
  }

  /**
   * How often to heartbeat inside an epoch: the configured interval, but at most a quarter of the
   * step's heartbeat timeout, so that a slow epoch never times out a healthy attempt.
   */
  private Duration beatInterval(ActivityExecutionContext context) {
    Duration timeout = context.getInfo().getHeartbeatTimeout();
    if (timeout == null || timeout.isZero() || timeout.isNegative()) {
      return heartbeatInterval;
    }
    Duration quarter = timeout.dividedBy(4);
    return quarter.compareTo(heartbeatInterval) < 0 ? quarter : heartbeatInterval;
  }

  /** Whether this activity's workflow run is closed (false when that cannot be told). */
  private static boolean runEnded() {
    ActivityExecutionContext context = Activity.getExecutionContext();
    try {
      return context
              .getWorkflowClient()
              .newUntypedWorkflowStub(
                  context.getInfo().getWorkflowId(),
                  Optional.of(context.getInfo().getRunId()),
                  Optional.empty())
              .describe()
              .getStatus()
          != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (RuntimeException e) {
      log.warn(
          "Cannot tell whether run {} ended: {}", context.getInfo().getWorkflowId(), e.toString());
      return false;
    }
  }

  private StepResult train(StepTask task, Settings settings, ExperimentRecorder recorder) {
    Train step = settings.step();
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<Resume> resume =
        context.getHeartbeatDetails(TrainingProgress.class).flatMap(p -> resume(p, settings));
    if (resume.isPresent()
        && (resume.get().info().epoch() >= settings.epochs() || resume.get().info().stopped())) {
      log.info(
          "Step '{}' already trained {} epochs: storing the final model",
          step.name(),
          resume.get().info().epoch());
      return finish(settings, resume.get(), 0, 0);
    }
    TrainingData train =
        TrainingData.load(artifacts, task.artifact("train"), "train", step, expectation(settings));
    TrainingData validation =
        task.optionalArtifact("validation")
            .map(
                ref ->
                    TrainingData.load(
                        artifacts,
                        ref,
                        "validation",
                        step,
                        new Expectation(
                            train.features(),
                            train.inputShape(),
                            train.classes(),
                            "the training set")))
            .orElse(null);
    if (settings.stopping() != null
        && settings.step().earlyStopping().metric().equals("validation_loss")
        && validation == null) {
      throw invalidPlan(
          step, "early stopping watches validation_loss but the step has no validation set");
    }
    return fit(context, settings, train, validation, resume.orElse(null), recorder);
  }

  /**
   * What the training set must look like: anything when training from scratch or with a new head;
   * the pretrained model's inputs (and classes) otherwise.
   */
  private static Expectation expectation(Settings settings) {
    PretrainedModel base = settings.pretrained();
    if (base == null || base.metadata() == null) {
      return Expectation.NONE;
    }
    ModelMetadata m = base.metadata();
    Train step = settings.step();
    if (m.task() != step.task()) {
      throw invalidPlan(
          step,
          "it trains a "
              + step.task().name().toLowerCase(Locale.ROOT)
              + " but "
              + base.description()
              + " is a "
              + m.task().name().toLowerCase(Locale.ROOT)
              + " model; set the same task");
    }
    boolean keepsClasses = m.task() == Task.CLASSIFICATION && !newHead(step);
    return new Expectation(
        m.readsImages() ? null : m.featureColumns(),
        m.inputShape(),
        keepsClasses ? m.classes() : null,
        base.description());
  }

  private static boolean newHead(Train step) {
    return step.fineTune() != null && step.fineTune().newHead();
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
    FineTune fineTune = step.fineTune();
    if (fineTune != null) {
      fineTune
          .learningRates()
          .forEach(
              (prefix, rate) -> {
                if (rate == null || !(rate > 0) || !Double.isFinite(rate)) {
                  throw invalidPlan(
                      step,
                      "the learning rate of '"
                          + prefix
                          + "' must be a positive number, got "
                          + rate);
                }
              });
      if (fineTune.newHead() && step.task() == Task.REGRESSION) {
        throw invalidPlan(
            step, "a new head has one output per class; a regression cannot have one");
      }
    }
    if (step.architecture() == Architecture.CNN && step.task() == Task.REGRESSION) {
      throw invalidPlan(step, "the CNN classifies images; it cannot train a regression");
    }
    PretrainedModel pretrained = pretrained(task, step);
    if (pretrained == null && fineTune != null) {
      throw invalidPlan(step, "it sets fine-tuning options but has no pretrained model");
    }
    if (pretrained != null && pretrained.isTorchScript() && newHead(step)) {
      throw invalidPlan(
          step,
          "newHead cannot replace a layer inside the TorchScript module of "
              + pretrained.description()
              + "; export the module with one output per class of your labels, or fine-tune"
              + " without a new head");
    }
    EarlyStopping stopping = step.earlyStopping();
    EarlyStoppingRule rule = null;
    if (stopping != null) {
      if (!EarlyStopping.METRICS.contains(stopping.metric())) {
        throw invalidPlan(
            step,
            "early stopping watches '"
                + stopping.metric()
                + "'; it watches one of "
                + EarlyStopping.METRICS);
      }
      try {
        rule = new EarlyStoppingRule(stopping.minDelta(), stopping.patience());
      } catch (IllegalArgumentException e) {
        throw invalidPlan(step, "early stopping: " + e.getMessage());
      }
    }
    // Epochs are left out: a checkpoint after epoch k is the same whatever the total.
    String fingerprint =
        sha256(
            String.join(
                "\n",
                "v2",
                step.label(),
                step.task().name(),
                step.hiddenLayers().toString(),
                String.valueOf(step.architecture()),
                pretrained == null ? "-" : pretrained.sha256(),
                String.valueOf(fineTune),
                String.valueOf(stopping),
                String.valueOf(batchSize),
                String.valueOf((float) learningRate),
                String.valueOf(step.seed()),
                task.artifact("train").sha256(),
                task.optionalArtifact("validation").map(ArtifactRef::sha256).orElse("-")));
    return new Settings(
        step, epochs, batchSize, (float) learningRate, fingerprint, pretrained, rule);
  }

  /** The model the step starts from, resolving a registry reference; {@code null} if none. */
  private PretrainedModel pretrained(StepTask task, Train step) {
    if (step.pretrained() != null && task.optionalArtifact("pretrained").isEmpty()) {
      String location = task.string("pretrained");
      if (RegistryReference.isReference(location)) {
        if (metadata == null) {
          throw invalidPlan(
              step,
              "pretrained model '"
                  + location
                  + "' is a registry reference, but this worker's training activities have no"
                  + " metadata store to resolve it; run them with one, or pass a model path");
        }
        return RegistryReference.parse(location, step.name())
            .load(metadata.models(), artifacts, step.name());
      }
    }
    return PretrainedModel.of(task, step, artifacts);
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
      CheckpointInfo info =
          JSON.readValue(dir.resolve(CHECKPOINT_FILE).toFile(), CheckpointInfo.class);
      if (!info.fingerprint().equals(settings.fingerprint())) {
        log.warn(
            "Step '{}': the checkpoint in the heartbeat belongs to other data or settings;"
                + " training from the start",
            step);
        return Optional.empty();
      }
      log.info(
          "Step '{}' resumes after epoch {} from {}",
          step,
          info.epoch(),
          progress.checkpoint().uri());
      return Optional.of(
          new Resume(progress.checkpoint(), dir, info, ModelBundle.readMetadata(dir)));
    } catch (ApplicationFailure | IOException e) {
      // A lost checkpoint costs time, not correctness: train again from the start.
      log.warn(
          "Step '{}' cannot use its checkpoint ({}); training from the start",
          step,
          e.getMessage());
      return Optional.empty();
    }
  }

  private StepResult fit(
      ActivityExecutionContext context,
      Settings settings,
      TrainingData train,
      TrainingData validation,
      Resume resume,
      ExperimentRecorder recorder) {
    Train step = settings.step();
    int startEpoch = resume == null ? 0 : resume.info().epoch();
    long priorMillis = resume == null ? 0 : resume.info().elapsedMillis();
    EarlyStoppingRule.State stopping =
        resume == null || resume.info().stopping() == null
            ? EarlyStoppingRule.State.START
            : resume.info().stopping();
    ArtifactRef best = resume == null ? null : resume.info().best();
    int batchesPerEpoch = (train.rows() + settings.batchSize() - 1) / settings.batchSize();

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
    ProgressSignal signal =
        new ProgressSignal(context, step.name(), startEpoch, settings.epochs(), progressInterval);
    signal.report(progress);

    long started = System.nanoTime();
    long beatEvery = beatInterval(context).toNanos();
    Shape shape = null;
    List<String> frozen;
    try (Network network = openNetwork(settings, train, resume)) {
      NDManager stateManager = network.model().getNDManager().newSubManager();
      ResumableAdam adam = new ResumableAdam(settings.learningRate(), stateManager);
      if (resume != null) {
        loadOptimizer(adam, resume.dir());
      }
      try (Trainer trainer = network.model().newTrainer(BatchTrainer.config(step.task(), adam))) {
        BatchTrainer.initialize(trainer, step.seed(), network.batchShape(settings.batchSize()));
        // Only now: newTrainer() unfroze every parameter of a loaded model, and initialize()
        // turned their gradients back on.
        Tuning tuning = tune(settings, network);
        frozen = tuning.frozen();
        adam.bind(tuning.parameters(), tuning.rates(), new HashSet<>(tuning.frozen()));
        requireOutputs(settings, network, trainer, train);
        BatchTrainer batches =
            new BatchTrainer(trainer, network, train.width(), settings.batchSize());
        long lastBeat = System.nanoTime();
        for (int epoch = startEpoch + 1; epoch <= settings.epochs(); epoch++) {
          int[] order = shuffle(train.rows(), step.seed(), epoch);
          double lossSum = 0;
          for (int b = 0; b < batchesPerEpoch; b++) {
            int from = b * settings.batchSize();
            int to = Math.min(train.rows(), from + settings.batchSize());
            lossSum += batches.train(train.x(), train.y(), order, from, to) * (to - from);
            if (System.nanoTime() - lastBeat >= beatEvery) {
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
          Double validationLoss =
              validation == null ? null : evaluateLoss(trainer, network, validation);
          if (settings.stopping() != null) {
            double watched =
                step.earlyStopping().metric().equals("train_loss") ? trainLoss : validationLoss;
            stopping = settings.stopping().observe(stopping, epoch, watched);
          }
          long elapsed = priorMillis + millisSince(started);
          ModelMetadata metadata =
              metadata(settings, train, network, frozen, epoch, trainLoss, validationLoss);
          ArtifactRef checkpoint =
              saveCheckpoint(
                  network,
                  adam,
                  metadata,
                  new CheckpointInfo(
                      settings.fingerprint(),
                      epoch,
                      elapsed,
                      settings.stopping() == null ? null : stopping,
                      null),
                  best,
                  stopping.improvedAt(epoch));
          if (settings.stopping() != null && stopping.improvedAt(epoch)) {
            best = checkpoint;
          }
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
          signal.report(progress);
          recorder.epoch(epoch, trainLoss, validationLoss, elapsed, checkpoint);
          log.debug(
              "Step '{}' epoch {}/{}: train loss {}, validation loss {}",
              step.name(),
              epoch,
              settings.epochs(),
              trainLoss,
              validationLoss);
          if (stopping.stop()) {
            log.info(
                "Step '{}' stops early after epoch {}: best epoch {}",
                step.name(),
                epoch,
                stopping.bestEpoch());
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot load the network of step '" + step.name() + "'", e);
    } catch (MalformedModelException e) {
      throw invalidData(
          "Step '" + step.name() + "' cannot load the weights of its model: " + e.getMessage());
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int trainedEpochs = progress.epoch() - startEpoch;
    double samplesPerSecond = trainedEpochs * (double) train.rows() / Math.max(seconds, 1e-9);
    Path dir = artifacts.resolve(progress.checkpoint());
    CheckpointInfo info = readCheckpointInfo(dir);
    return finish(
        settings,
        new Resume(progress.checkpoint(), dir, info, ModelBundle.readMetadata(dir)),
        trainedEpochs,
        samplesPerSecond);
  }

  /**
   * The network to train: a fresh one, the pretrained model (with a new head if asked), or, on a
   * retry, the one in the checkpoint.
   */
  private static Network openNetwork(Settings settings, TrainingData train, Resume resume)
      throws IOException, MalformedModelException {
    Train step = settings.step();
    PretrainedModel base = settings.pretrained();
    String architecture = architecture(settings, train);
    List<Integer> rowShape =
        train.inputShape() != null && !architecture.equals(ModelMetadata.MLP)
            ? train.inputShape()
            : List.of(train.width());
    if (architecture.equals(ModelMetadata.TORCHSCRIPT)) {
      Path file =
          resume != null
              ? resume.dir().resolve(ModelBundle.TORCHSCRIPT_FILE)
              : base.metadata() == null
                  ? base.path()
                  : base.path().resolve(ModelBundle.TORCHSCRIPT_FILE);
      try {
        return Network.torchScript(file, rowShape, true);
      } catch (MalformedModelException | ai.djl.engine.EngineException e) {
        throw invalidData(
            "Step '"
                + step.name()
                + "': "
                + base.description()
                + " is not a TorchScript module: "
                + e.getMessage());
      }
    }
    Network network;
    if (base == null) {
      network = Network.create(architecture, step.hiddenLayers(), train.outputs(step), rowShape);
    } else {
      network = Network.load(base.path(), base.metadata(), true);
      if (newHead(step)) {
        network.replaceHead(train.classes().size());
      }
    }
    if (resume != null) {
      try {
        network.loadWeights(resume.dir());
      } catch (IOException | MalformedModelException | RuntimeException e) {
        network.close();
        throw e;
      }
    }
    return network;
  }

  /** The architecture the step trains: the pretrained model's, the step's, or by the data. */
  private static String architecture(Settings settings, TrainingData train) {
    Train step = settings.step();
    PretrainedModel base = settings.pretrained();
    if (base != null) {
      String architecture =
          base.metadata() == null
              ? ModelMetadata.TORCHSCRIPT
              : base.metadata().architectureOrDefault();
      if (step.architecture() != null
          && !architecture.equals(step.architecture().name().toLowerCase(Locale.ROOT))) {
        throw invalidPlan(
            step,
            "it asks for the "
                + step.architecture().name().toLowerCase(Locale.ROOT)
                + " architecture but "
                + base.description()
                + " is "
                + architecture
                + "; drop the architecture, which comes from the pretrained model");
      }
      return architecture;
    }
    Architecture chosen =
        step.architecture() != null
            ? step.architecture()
            : train.inputShape() != null ? Architecture.CNN : Architecture.MLP;
    if (chosen == Architecture.CNN && train.inputShape() == null) {
      throw invalidPlan(
          step,
          "the CNN reads images, but the training set has no BLOB column '"
              + ParquetDataset.IMAGE
              + "'; use the MLP for tabular data");
    }
    if (chosen == Architecture.CNN && step.task() == Task.REGRESSION) {
      throw invalidPlan(step, "the CNN classifies images; it cannot train a regression");
    }
    return chosen.name().toLowerCase(Locale.ROOT);
  }

  /** The parameters to train by name, their learning rates, and the frozen ones. */
  private record Tuning(
      Map<String, Parameter> parameters, Map<String, Float> rates, List<String> frozen) {}

  /**
   * Freezes what the step's fine-tuning names and works out per-parameter learning rates; fails
   * with {@code INVALID_PLAN} on a name that matches no parameter of the loaded model.
   */
  private static Tuning tune(Settings settings, Network network) {
    Map<String, Parameter> parameters = network.parameters();
    FineTune fineTune = settings.step().fineTune();
    if (fineTune == null) {
      return new Tuning(parameters, Map.of(), List.of());
    }
    List<String> unknown = new ArrayList<>();
    List<String> patterns = new ArrayList<>(fineTune.freeze());
    patterns.addAll(fineTune.learningRates().keySet());
    for (String pattern : patterns) {
      if (parameters.keySet().stream().noneMatch(name -> FineTune.matches(pattern, name))
          && !unknown.contains(pattern)) {
        unknown.add(pattern);
      }
    }
    if (!unknown.isEmpty()) {
      throw invalidPlan(
          settings.step(),
          "fine-tuning names "
              + unknown.stream().map(u -> "'" + u + "'").toList()
              + " but "
              + settings.pretrained().description()
              + " has no parameter or block of "
              + (unknown.size() == 1 ? "that name" : "those names")
              + ". Its parameters: "
              + parameters.keySet()
              + "; its blocks: "
              + Networks.blocks(parameters.keySet()));
    }
    List<String> frozen = new ArrayList<>();
    Map<String, Float> rates = new HashMap<>();
    parameters.forEach(
        (name, parameter) -> {
          if (fineTune.freeze().stream().anyMatch(pattern -> FineTune.matches(pattern, name))) {
            parameter.freeze(true);
            frozen.add(name);
          }
          String longest = null;
          for (String prefix : fineTune.learningRates().keySet()) {
            if (FineTune.matches(prefix, name)
                && (longest == null
                    || stripWildcard(prefix).length() > stripWildcard(longest).length())) {
              longest = prefix;
            }
          }
          if (longest != null) {
            rates.put(name, fineTune.learningRates().get(longest).floatValue());
          }
        });
    if (frozen.size() == parameters.size()) {
      throw invalidPlan(
          settings.step(),
          "freezing " + fineTune.freeze() + " freezes every parameter, leaving nothing to train");
    }
    return new Tuning(parameters, rates, List.copyOf(frozen));
  }

  private static String stripWildcard(String prefix) {
    return prefix.endsWith(".*") ? prefix.substring(0, prefix.length() - 2) : prefix;
  }

  /**
   * Fails unless the network's output fits the labels: a TorchScript module brings its own output
   * width, which must be one per class (or one for a regression).
   */
  private static void requireOutputs(
      Settings settings, Network network, Trainer trainer, TrainingData train) {
    if (!network.isTorchScript()) {
      return;
    }
    int expected = train.outputs(settings.step());
    long[] shape;
    try (NDManager manager = trainer.getManager().newSubManager()) {
      NDList out = trainer.evaluate(new NDList(manager.zeros(network.batchShape(1))));
      shape = out.singletonOrThrow().getShape().getShape();
    } catch (ai.djl.engine.EngineException | IllegalArgumentException e) {
      throw invalidData(
          "Step '"
              + settings.step().name()
              + "': "
              + settings.pretrained().description()
              + " cannot read inputs of shape "
              + network.batchShape(1)
              + " from the training set: "
              + e.getMessage());
    }
    if (shape.length != 2 || shape[1] != expected) {
      throw invalidData(
          "Step '"
              + settings.step().name()
              + "': "
              + settings.pretrained().description()
              + " outputs shape "
              + java.util.Arrays.toString(shape)
              + " per batch but the training labels need "
              + expected
              + (settings.step().task() == Task.CLASSIFICATION
                  ? " (one per class of " + train.classes() + ")"
                  : "")
              + "; export the module with that many outputs");
    }
  }

  /** The loss over a whole dataset, without updating anything. */
  private static double evaluateLoss(Trainer trainer, Network network, TrainingData data) {
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
        NDList input = new NDList(batch.create(x, network.batchShape(n)));
        sum +=
            Network.withoutGradients(
                    () -> trainer.getLoss().evaluate(labels, trainer.evaluate(input)).getFloat())
                * (double) n;
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
      Settings settings,
      TrainingData train,
      Network network,
      List<String> frozen,
      int epoch,
      double trainLoss,
      Double validationLoss) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("train_loss", trainLoss);
    if (validationLoss != null) {
      metrics.put("validation_loss", validationLoss);
    }
    Train step = settings.step();
    PretrainedModel base = settings.pretrained();
    ModelMetadata baseMetadata = base == null ? null : base.metadata();
    String architecture = network.architecture();
    List<Integer> inputShape = train.inputShape();
    return new ModelMetadata(
        ModelMetadata.versionFor(architecture, inputShape),
        step.task(),
        train.features(),
        step.label(),
        baseMetadata != null ? baseMetadata.hiddenLayers() : step.hiddenLayers(),
        train.classes(),
        epoch,
        metrics,
        step.seed(),
        architecture.equals(ModelMetadata.MLP) ? null : architecture,
        inputShape,
        base == null ? null : base.description(),
        baseMetadata == null || baseMetadata.task() != Task.CLASSIFICATION
            ? null
            : baseMetadata.classes(),
        base == null ? null : frozen,
        null);
  }

  private ArtifactRef saveCheckpoint(
      Network network,
      ResumableAdam adam,
      ModelMetadata metadata,
      CheckpointInfo info,
      ArtifactRef best,
      boolean improved) {
    Path dir = artifacts.scratch("checkpoint");
    try {
      network.save(dir, info.epoch());
      try (DataOutputStream out =
          new DataOutputStream(
              new BufferedOutputStream(Files.newOutputStream(dir.resolve(OPTIMIZER_FILE))))) {
        adam.save(out);
      }
      ModelBundle.writeMetadata(dir, metadata);
      // The best checkpoint is named unless it is this one, whose reference is known only once it
      // is stored.
      CheckpointInfo stored =
          new CheckpointInfo(
              info.fingerprint(),
              info.epoch(),
              info.elapsedMillis(),
              info.stopping(),
              info.stopping() == null || improved ? null : best);
      Files.writeString(dir.resolve(CHECKPOINT_FILE), JSON.writeValueAsString(stored) + "\n");
      return artifacts.put(dir, ValueType.MODEL, "djl-checkpoint");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the checkpoint of epoch " + info.epoch(), e);
    } finally {
      ArtifactStore.discard(dir);
    }
  }

  private static void loadOptimizer(ResumableAdam adam, Path dir) {
    try (DataInputStream in =
        new DataInputStream(
            new BufferedInputStream(Files.newInputStream(dir.resolve(OPTIMIZER_FILE))))) {
      adam.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Cannot read the optimizer state of the checkpoint in " + dir, e);
    }
  }

  private static CheckpointInfo readCheckpointInfo(Path dir) {
    try {
      return JSON.readValue(dir.resolve(CHECKPOINT_FILE).toFile(), CheckpointInfo.class);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + CHECKPOINT_FILE + " in " + dir, e);
    }
  }

  /**
   * Stores the model (weights and metadata) of the last checkpoint, or with early stopping of the
   * best one, and builds the result.
   */
  private StepResult finish(
      Settings settings, Resume last, int trainedEpochs, double samplesPerSecond) {
    CheckpointInfo info = last.info();
    boolean stopping = info.stopping() != null;
    Path source = stopping && info.best() != null ? artifacts.resolve(info.best()) : last.dir();
    ModelMetadata kept =
        source.equals(last.dir()) ? last.metadata() : ModelBundle.readMetadata(source);
    if (stopping) {
      kept =
          new ModelMetadata(
              kept.formatVersion(),
              kept.task(),
              kept.featureColumns(),
              kept.label(),
              kept.hiddenLayers(),
              kept.classes(),
              kept.epochs(),
              kept.metrics(),
              kept.seed(),
              kept.architecture(),
              kept.inputShape(),
              kept.baseModel(),
              kept.baseClasses(),
              kept.frozen(),
              info.epoch());
    }
    Path dir = artifacts.scratch("model");
    ArtifactRef model;
    try {
      try (Stream<Path> files = Files.list(source)) {
        for (Path file :
            files
                .filter(
                    f ->
                        f.getFileName().toString().endsWith(".params")
                            || f.getFileName().toString().equals(ModelBundle.TORCHSCRIPT_FILE))
                .toList()) {
          Files.copy(file, dir.resolve(file.getFileName()));
        }
      }
      ModelBundle.writeMetadata(dir, kept);
      model = artifacts.put(dir, ValueType.MODEL, "djl");
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot store the trained model", e);
    } finally {
      ArtifactStore.discard(dir);
    }
    Map<String, Double> metrics = kept.metrics();
    StepResult.Builder result =
        StepResult.builder().artifact("model", model).value("epochs", info.epoch());
    StringBuilder summary =
        new StringBuilder(String.format(Locale.ROOT, "%d epochs", info.epoch()));
    if (stopping) {
      result.value("bestEpoch", kept.epochs());
    }
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
    if (info.stopped()) {
      EarlyStopping rule = settings.step().earlyStopping();
      summary.append(
          String.format(
              Locale.ROOT,
              "; stopped early: %s did not improve by more than %s for %d epochs, kept the"
                  + " weights of epoch %d",
              rule.metric(),
              rule.minDelta(),
              rule.patience(),
              kept.epochs()));
    } else if (stopping && kept.epochs() != info.epoch()) {
      summary.append(
          String.format(Locale.ROOT, "; kept the weights of best epoch %d", kept.epochs()));
    }
    int resumedAfter = info.epoch() - trainedEpochs;
    if (resumedAfter > 0) {
      summary.append(String.format(Locale.ROOT, " (resumed after epoch %d)", resumedAfter));
    }
    return result.summary(summary.toString()).build();
  }

  /**
   * What a dataset must hold to fit a model: its feature columns (tabular), its image shape, its
   * classes. A {@code null} field is not constrained.
   *
   * @param source names where the expectation comes from in messages, e.g. {@code the training set}
   */
  record Expectation(
      List<String> features, List<Integer> inputShape, List<String> classes, String source) {
    static final Expectation NONE = new Expectation(null, null, null, null);
  }

  /**
   * The rows of one dataset as a flat row-major float matrix and a label vector.
   *
   * @param features the feature columns; {@code [image]} for an image dataset
   * @param inputShape {@code [channels, height, width]} for an image dataset, else {@code null}
   * @param width floats per row
   */
  record TrainingData(
      List<String> features,
      List<Integer> inputShape,
      List<String> classes,
      float[] x,
      float[] y,
      int rows,
      int width) {

    /** The network outputs the labels need: one per class, or one for a regression. */
    int outputs(Train step) {
      return step.task() == Task.CLASSIFICATION ? classes.size() : 1;
    }

    /**
     * Reads a dataset. An image dataset (a BLOB column {@code image}) reads the pixels of that
     * column scaled to [0, 1]; a tabular one every numeric column but the label. {@code expect}
     * constrains the columns, image shape and classes, e.g. to the training set's when reading the
     * validation set, or to the pretrained model's.
     */
    static TrainingData load(
        ArtifactStore artifacts, ArtifactRef ref, String input, Train step, Expectation expect) {
      String description = "dataset '" + input + "' of step '" + step.name() + "'";
      try (ParquetDataset data = ParquetDataset.open(artifacts.resolve(ref), description)) {
        String label = step.label();
        data.column(label);
        boolean images = data.isImageDataset();
        List<Integer> inputShape = null;
        List<String> ordered;
        if (images) {
          int[] shape = data.imageShape();
          inputShape = List.of(shape[0], shape[1], shape[2]);
          ordered = List.of(ParquetDataset.IMAGE);
          if (expect.inputShape() == null && expect.features() != null) {
            throw invalidData(
                description
                    + " holds images but "
                    + expect.source()
                    + " reads columns "
                    + expect.features());
          }
          if (expect.inputShape() != null && !expect.inputShape().equals(inputShape)) {
            int expectedChannels = expect.inputShape().get(0);
            throw invalidData(
                "Images of "
                    + description
                    + " are "
                    + shape[1]
                    + "×"
                    + shape[2]
                    + " pixels with "
                    + channels(shape[0])
                    + " but "
                    + expect.source()
                    + " reads inputs of shape "
                    + expect.inputShape()
                    + (expectedChannels != shape[0]
                        ? " ("
                            + channels(expectedChannels)
                            + "); convert the images to "
                            + (expectedChannels == 1 ? "greyscale" : expectedChannels + " channels")
                            + " before this step"
                        : ""));
          }
        } else {
          if (expect.inputShape() != null) {
            throw invalidData(
                description
                    + " has no BLOB column '"
                    + ParquetDataset.IMAGE
                    + "' but "
                    + expect.source()
                    + " reads images of shape "
                    + expect.inputShape());
          }
          List<String> features = new ArrayList<>(data.columnNames());
          features.remove(label);
          if (features.isEmpty()) {
            throw invalidData(
                description + " has no feature columns besides label '" + label + "'");
          }
          List<String> expected = expect.features();
          if (expected != null && !new HashSet<>(features).equals(new HashSet<>(expected))) {
            List<String> missing = expected.stream().filter(f -> !features.contains(f)).toList();
            List<String> extra = features.stream().filter(f -> !expected.contains(f)).toList();
            throw invalidData(
                "The columns of "
                    + description
                    + " differ from those of "
                    + expect.source()
                    + "; missing: "
                    + missing
                    + ", extra: "
                    + extra);
          }
          ordered = expected == null ? List.copyOf(features) : expected;
        }
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
        int width = data.floatWidth(ordered);
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
          classes = expect.classes() == null ? data.distinctStrings(label) : expect.classes();
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
                      + " that "
                      + expect.source()
                      + " lacks; its classes are "
                      + classes
                      + (expect.source() != null && expect.source().startsWith("pretrained")
                          ? ". Give the model a new head for these labels with .newHead()"
                          : ""));
            }
            y[r] = k;
          }
        }
        return new TrainingData(ordered, inputShape, classes, x, y, matrix.length, width);
      }
    }
  }

  private static String channels(int count) {
    return count == 1
        ? "1 channel (greyscale)"
        : count == 3 ? "3 channels (RGB)" : count + " channels";
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
}
