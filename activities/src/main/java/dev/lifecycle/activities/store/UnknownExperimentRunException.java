package dev.lifecycle.activities.store;

import java.util.List;

/** An experiment run id that the store does not hold. */
public final class UnknownExperimentRunException extends RuntimeException {
  private final List<Long> ids;

  /** An exception naming {@code ids} as unknown, with where to find the known ones. */
  public UnknownExperimentRunException(List<Long> ids) {
    super(
        (ids.size() == 1 ? "Unknown experiment run " : "Unknown experiment runs ")
            + ids
            + "; list runs with 'lifecycle experiments list' or GET /api/experiments");
    this.ids = List.copyOf(ids);
  }

  /** The ids that were not found. */
  public List<Long> ids() {
    return ids;
  }
}
