package dev.lifecycle.activities.labeling;

/**
 * A labeling request the store refuses, and why: the REST API maps each {@link Reason} to its
 * status (unknown job or item 404, not assigned 403, invalid or conflicting answer 409/422, closed
 * job 409). Nothing was stored.
 */
public final class LabelingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a request was refused. */
  public enum Reason {
    UNKNOWN_JOB,
    UNKNOWN_ITEM,
    UNKNOWN_ANNOTATOR,
    NOT_ASSIGNED,
    INVALID_ANSWER,
    CONFLICTING_ANSWER,
    JOB_CLOSED,
    DUPLICATE_ANNOTATOR
  }

  private final Reason reason;

  public LabelingException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** Why the request was refused. */
  public Reason reason() {
    return reason;
  }
}
