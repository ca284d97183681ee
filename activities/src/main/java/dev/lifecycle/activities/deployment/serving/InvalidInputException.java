package dev.lifecycle.activities.deployment.serving;

/**
 * A request an endpoint cannot answer because of its content: not JSON, wrong shape, a missing,
 * unknown or non-numeric field, or too many instances. {@link #field()} names the offender as a
 * JSON path, e.g. {@code instances[2].Length}.
 */
public final class InvalidInputException extends RuntimeException {
  private final String field;
  private final boolean tooLarge;

  public InvalidInputException(String field, String message) {
    this(field, message, false);
  }

  InvalidInputException(String field, String message, boolean tooLarge) {
    super(message);
    this.field = field;
    this.tooLarge = tooLarge;
  }

  /** The JSON path of the offending field, e.g. {@code instances[0].Length}. */
  public String field() {
    return field;
  }

  /** Whether the request was refused for its size (HTTP 413) rather than its content (400). */
  public boolean tooLarge() {
    return tooLarge;
  }
}
