package dev.lifecycle.activities.deployment.serving;

/** The model failed while answering a valid request; {@link #version()} names the version. */
public final class ModelFailureException extends RuntimeException {
  private final int version;

  public ModelFailureException(String endpoint, int version, Throwable cause) {
    super(
        "Endpoint '"
            + endpoint
            + "' version "
            + version
            + " failed to predict: "
            + cause.getMessage(),
        cause);
    this.version = version;
  }

  /** The model version that failed. */
  public int version() {
    return version;
  }
}
