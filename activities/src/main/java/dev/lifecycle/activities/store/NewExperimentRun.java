package dev.lifecycle.activities.store;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.util.Map;
import java.util.Objects;

/**
 * A training run as it starts: where it belongs, how it trains, on which data and from which model.
 *
 * @param workflowId the pipeline run's workflow id
 * @param runId the pipeline run's Temporal run id; with {@code step}, the run's identity
 * @param step the train step's name
 * @param pipeline the pipeline's name: runs of one pipeline form one experiment
 * @param parameters the pipeline run's bound parameters
 * @param hyperparameters how the step trains (epochs, batchSize, learningRate, architecture, ...)
 * @param train the training dataset
 * @param validation the validation dataset, or {@code null}
 * @param baseModel the pretrained model fine-tuned (registry name/version or URI, with sha256), or
 *     {@code null} when training from scratch
 */
public record NewExperimentRun(
    String workflowId,
    String runId,
    String step,
    String pipeline,
    Map<String, Object> parameters,
    Map<String, Object> hyperparameters,
    ArtifactRef train,
    ArtifactRef validation,
    String baseModel) {
  public NewExperimentRun {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(train, "train");
    parameters = parameters == null ? Map.of() : parameters;
    hyperparameters = hyperparameters == null ? Map.of() : hyperparameters;
  }
}
