package dev.lifecycle.activities.store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One recorded training run.
 *
 * @param id the run's number in the store, what the API and command line name it by
 * @param workflowId the pipeline run's workflow id
 * @param runId the pipeline run's Temporal run id
 * @param step the train step
 * @param pipeline the pipeline (the experiment)
 * @param parameters the pipeline run's parameters
 * @param hyperparameters how the step trained
 * @param trainUri the training data's URI
 * @param trainSha256 the training data's content hash: its version
 * @param validationUri the validation data's URI, or {@code null}
 * @param validationSha256 the validation data's hash, or {@code null}
 * @param baseModel the fine-tuned pretrained model, or {@code null}
 * @param status where the run stands
 * @param finalMetrics the metrics of the model the run produced (empty until it succeeds)
 * @param modelUri the trained model's URI, once it succeeded
 * @param modelSha256 the trained model's hash, once it succeeded
 * @param checkpointUri the last checkpoint's URI, after the first epoch
 * @param checkpointSha256 the last checkpoint's hash, after the first epoch
 * @param error why it failed, for a failed or cancelled run
 * @param startedAt when the first attempt started
 * @param endedAt when it ended, or {@code null} while running
 */
public record ExperimentRun(
    long id,
    String workflowId,
    String runId,
    String step,
    String pipeline,
    Map<String, Object> parameters,
    Map<String, Object> hyperparameters,
    String trainUri,
    String trainSha256,
    String validationUri,
    String validationSha256,
    String baseModel,
    ExperimentStatus status,
    Map<String, Double> finalMetrics,
    String modelUri,
    String modelSha256,
    String checkpointUri,
    String checkpointSha256,
    String error,
    Instant startedAt,
    Instant endedAt) {

  /** Wall-clock time from the first start to the end, or {@code null} while running. */
  public Long durationMillis() {
    return endedAt == null ? null : Duration.between(startedAt, endedAt).toMillis();
  }

  /**
   * What identifies the run's data: {@code train} and {@code validation}, each its sha256 (absent
   * without a validation set).
   */
  public Map<String, String> dataVersion() {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("train", trainSha256);
    if (validationSha256 != null) {
      data.put("validation", validationSha256);
    }
    return data;
  }
}
