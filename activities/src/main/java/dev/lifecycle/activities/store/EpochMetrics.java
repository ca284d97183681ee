package dev.lifecycle.activities.store;

/**
 * One epoch of a training run: the points of its learning curves.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean training loss over the epoch
 * @param validationLoss loss on the validation set after the epoch, or {@code null} without one
 * @param elapsedMillis training time from the run's first epoch to the end of this one, summed over
 *     attempts
 */
public record EpochMetrics(int epoch, double trainLoss, Double validationLoss, long elapsedMillis) {
  public EpochMetrics {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
    }
  }
}
