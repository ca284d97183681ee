package dev.lifecycle.dsl.plan;

/** What a model predicts. */
public enum Task {
  /** A number, e.g. the rings of an abalone. */
  REGRESSION,
  /** One of a closed set of classes. */
  CLASSIFICATION;

  /** The metrics an evaluation of this task produces. */
  public java.util.List<String> metrics() {
    return switch (this) {
      case REGRESSION -> java.util.List.of("mse", "rmse", "mae", "r2");
      case CLASSIFICATION -> java.util.List.of("accuracy", "precision", "recall", "f1", "log_loss");
    };
  }
}
