package dev.lifecycle.worker.temporal;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/** Turns Temporal's exception chains into the sentence a person needs. */
public final class Failures {
  private Failures() {}

  /**
   * The innermost application failure's own message (the one an activity or the interpreter wrote),
   * else the innermost Temporal failure's, else the root cause's.
   */
  public static String message(Throwable e) {
    ApplicationFailure application = null;
    TemporalFailure temporal = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ApplicationFailure a) {
        application = a;
      } else if (t instanceof TemporalFailure f) {
        temporal = f;
      }
      root = t;
    }
    if (application != null) {
      return application.getOriginalMessage();
    }
    if (temporal != null) {
      return temporal.getOriginalMessage();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }
}
