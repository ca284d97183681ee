package dev.lifecycle.activities.monitoring;

/**
 * A statistics or constraints file that cannot be used; the message names the file, and the field,
 * line and column or the feature that is wrong.
 */
public class BaselineFormatException extends IllegalArgumentException {
  public BaselineFormatException(String message) {
    super(message);
  }

  public BaselineFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
