package dev.lifecycle.activities.training;

import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentStatus;
import dev.lifecycle.activities.store.ExperimentStore;
import dev.lifecycle.activities.store.NewExperimentRun;
import dev.lifecycle.dsl.plan.Train;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records one training attempt in the experiment store. Tracking is best effort: a store that fails
 * is logged and training goes on, because the same numbers also travel in the heartbeats and the
 * model's metadata, and losing a run's record is cheaper than losing the run. Without a store (or
 * once {@link #started} failed) every call does nothing.
 */
final class ExperimentRecorder {
  private static final Logger log = LoggerFactory.getLogger(ExperimentRecorder.class);

  private final ExperimentStore store;
  private final String step;
  private Long runId;

  private ExperimentRecorder(ExperimentStore store, String step) {
    this.store = store;
    this.step = step;
  }

  /** A recorder that records nothing. */
  static ExperimentRecorder none(String step) {
    return new ExperimentRecorder(null, step);
  }

  /** Records that the attempt of {@code task} started (or a retry of its run resumed). */
  static ExperimentRecorder started(
      ExperimentStore store,
      StepTask task,
      Train step,
      int epochs,
      int batchSize,
      double learningRate,
      PretrainedModel pretrained) {
    ExperimentRecorder recorder = new ExperimentRecorder(store, step.name());
    if (store == null) {
      return recorder;
    }
    try {
      Map<String, Object> hyperparameters = new LinkedHashMap<>();
      hyperparameters.put("epochs", epochs);
      hyperparameters.put("batchSize", batchSize);
      hyperparameters.put("learningRate", learningRate);
      hyperparameters.put("task", step.task().name().toLowerCase(Locale.ROOT));
      hyperparameters.put("label", step.label());
      if (step.architecture() != null) {
        hyperparameters.put("architecture", step.architecture().name().toLowerCase(Locale.ROOT));
      } else if (pretrained != null && pretrained.metadata() != null) {
        hyperparameters.put("architecture", pretrained.metadata().architectureOrDefault());
      } else if (pretrained != null) {
        hyperparameters.put("architecture", ModelMetadata.TORCHSCRIPT);
      }
      hyperparameters.put("hiddenLayers", step.hiddenLayers());
      hyperparameters.put("seed", step.seed());
      if (step.fineTune() != null) {
        hyperparameters.put("fineTune", step.fineTune());
      }
      if (step.earlyStopping() != null) {
        hyperparameters.put("earlyStopping", step.earlyStopping());
      }
      String baseModel = null;
      if (pretrained != null) {
        baseModel =
            pretrained.description().contains(pretrained.sha256())
                ? pretrained.description()
                : pretrained.description() + " (sha256 " + pretrained.sha256() + ")";
      }
      recorder.runId =
          store
              .start(
                  new NewExperimentRun(
                      task.run().workflowId(),
                      task.run().runId(),
                      step.name(),
                      task.run().pipeline(),
                      task.run().parameters(),
                      hyperparameters,
                      task.artifact("train"),
                      task.optionalArtifact("validation").orElse(null),
                      baseModel))
              .id();
    } catch (RuntimeException e) {
      recorder.failedToRecord("its start", e);
    }
    return recorder;
  }

  /** Records an epoch's metrics and the checkpoint saved after it. */
  void epoch(
      int epoch,
      double trainLoss,
      Double validationLoss,
      long elapsedMillis,
      ArtifactRef checkpoint) {
    if (runId == null) {
      return;
    }
    try {
      store.recordEpoch(
          runId, new EpochMetrics(epoch, trainLoss, validationLoss, elapsedMillis), checkpoint);
    } catch (RuntimeException e) {
      failedToRecord("epoch " + epoch, e);
    }
  }

  /** Records the model the attempt produced and its final metrics. */
  void succeeded(StepResult result) {
    if (runId == null) {
      return;
    }
    try {
      store.succeeded(runId, result.metrics(), result.artifacts().get("model"));
    } catch (RuntimeException e) {
      failedToRecord("its result", e);
    }
  }

  /** Records that the attempt ended without a model. */
  void ended(ExperimentStatus status, Throwable cause) {
    if (runId == null) {
      return;
    }
    try {
      store.ended(
          runId, status, cause.getMessage() == null ? cause.toString() : cause.getMessage());
    } catch (RuntimeException e) {
      failedToRecord("its end", e);
    }
  }

  private void failedToRecord(String what, RuntimeException e) {
    log.warn(
        "Step '{}': cannot record {} in the experiment store ({}); training goes on, the metrics"
            + " are in the heartbeats and the model's metadata",
        step,
        what,
        e.toString());
  }
}
