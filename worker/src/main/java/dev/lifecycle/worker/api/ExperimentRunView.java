package dev.lifecycle.worker.api;

import dev.lifecycle.activities.store.EpochMetrics;
import dev.lifecycle.activities.store.ExperimentRun;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A training run as the experiments API shows it: everything recorded, its duration, and, for one
 * run, its epochs (the points of the learning curves); {@code epochs} is {@code null} in lists.
 */
public record ExperimentRunView(
    long id,
    String pipeline,
    String step,
    String workflowId,
    String runId,
    String status,
    Map<String, Object> parameters,
    Map<String, Object> hyperparameters,
    Map<String, String> dataVersion,
    String trainUri,
    String validationUri,
    String baseModel,
    Map<String, Double> finalMetrics,
    String modelUri,
    String modelSha256,
    String checkpointUri,
    String checkpointSha256,
    String error,
    Instant startedAt,
    Instant endedAt,
    Long durationMillis,
    List<EpochMetrics> epochs) {

  static ExperimentRunView of(ExperimentRun run, List<EpochMetrics> epochs) {
    return new ExperimentRunView(
        run.id(),
        run.pipeline(),
        run.step(),
        run.workflowId(),
        run.runId(),
        run.status().name(),
        run.parameters(),
        run.hyperparameters(),
        run.dataVersion(),
        run.trainUri(),
        run.validationUri(),
        run.baseModel(),
        run.finalMetrics(),
        run.modelUri(),
        run.modelSha256(),
        run.checkpointUri(),
        run.checkpointSha256(),
        run.error(),
        run.startedAt(),
        run.endedAt(),
        run.durationMillis(),
        epochs);
  }
}
