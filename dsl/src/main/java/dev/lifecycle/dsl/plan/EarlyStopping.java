package dev.lifecycle.dsl.plan;

import java.util.List;

/**
 * Stops training when a loss has stopped improving, and keeps the weights of the best epoch.
 *
 * <p>An epoch improves when its loss is below the best loss so far by more than {@code minDelta};
 * training stops after {@code patience} epochs in a row without improvement. The model the step
 * outputs is the one of the best epoch, not of the last.
 *
 * @param metric the loss watched: {@code validation_loss} (default; needs a validation set) or
 *     {@code train_loss}
 * @param minDelta the smallest decrease that counts as an improvement, at least 0
 * @param patience epochs without improvement before stopping, at least 1
 */
public record EarlyStopping(String metric, double minDelta, int patience) {

  /** The losses early stopping can watch. */
  public static final List<String> METRICS = List.of("validation_loss", "train_loss");

  /** The loss watched by default. */
  public static final String DEFAULT_METRIC = "validation_loss";

  public EarlyStopping {
    metric = metric == null ? DEFAULT_METRIC : metric;
  }
}
