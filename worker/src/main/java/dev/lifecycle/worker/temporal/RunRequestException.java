package dev.lifecycle.worker.temporal;

/**
 * Temporal refused a request about a run: a workflow id already in use, an approval no gate waits
 * for, a run that cannot answer a query yet. The message says which.
 */
public class RunRequestException extends RuntimeException {
  public RunRequestException(String message, Throwable cause) {
    super(message, cause);
  }
}
