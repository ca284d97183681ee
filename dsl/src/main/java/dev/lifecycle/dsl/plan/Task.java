package dev.lifecycle.dsl.plan;

/** What a model predicts. */
public enum Task {
  /** A number, e.g. the rings of an abalone. */
  REGRESSION,
  /** One of a closed set of classes. */
  CLASSIFICATION;

  /**
   * The metrics an evaluation of this task produces. Classification's {@code roc_auc} is the binary
   * AUC of the second class's probability, or the one-vs-rest macro average for three or more
   * classes.
   */
  public java.util.List<String> metrics() {
    return switch (this) {
      case REGRESSION -> java.util.List.of("mse", "rmse", "mae", "r2");
      case CLASSIFICATION ->
          java.util.List.of("accuracy", "precision", "recall", "f1", "log_loss", "roc_auc");
    };
  }
}
