package dev.lifecycle.activities.store;

/**
 * The metadata database failed (unreachable, full, a statement rejected). Unchecked, so that inside
 * an activity it becomes a retryable failure: such faults are usually transient.
 */
public final class MetadataStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MetadataStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public MetadataStoreException(String message) {
    super(message);
  }
}
