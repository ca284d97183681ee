package dev.lifecycle.workflows;

/**
 * How far a long step has got, as its activity last reported it with the {@code training-progress}
 * signal ({@link PipelineWorkflow#TRAINING_PROGRESS_SIGNAL}); the {@code status} query shows the
 * latest one per step.
 *
 * @param step the step reporting
 * @param attempt the activity attempt reporting (a later attempt's report replaces an earlier
 *     one's)
 * @param epoch epochs completed (0 before the first; a resumed attempt starts at its checkpoint)
 * @param totalEpochs epochs asked for (early stopping may end sooner)
 * @param trainLoss mean training loss of epoch {@code epoch}, or null before the first
 * @param validationLoss validation loss after epoch {@code epoch}, or null without a validation set
 * @param elapsedMillis training time so far, summed over attempts
 * @param etaMillis estimated time until the last epoch ends (at the pace of this attempt), or null
 *     before this attempt has finished an epoch
 * @param reportedAt epoch millis at which the activity reported it (the worker's clock)
 */
public record StepProgress(
    String step,
    int attempt,
    int epoch,
    int totalEpochs,
    Double trainLoss,
    Double validationLoss,
    long elapsedMillis,
    Long etaMillis,
    long reportedAt) {

  /** Whether this report is newer than {@code other}: a later attempt, or a later epoch. */
  public boolean isNewerThan(StepProgress other) {
    if (other == null) {
      return true;
    }
    if (attempt != other.attempt) {
      return attempt > other.attempt;
    }
    return epoch >= other.epoch;
  }
}
