package dev.lifecycle.worker.temporal;

/** No workflow execution has the workflow id asked for. */
public class RunNotFoundException extends RuntimeException {
  public RunNotFoundException(String workflowId, String namespace, Throwable cause) {
    super("No run with workflow id '" + workflowId + "' in namespace '" + namespace + "'", cause);
  }

  /** Not found, for the reason {@code message} gives. */
  public RunNotFoundException(String message) {
    super(message);
  }
}
