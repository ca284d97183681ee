package dev.lifecycle.worker.labeling;

import java.time.Duration;

/**
 * Settings of the labeling API, from {@code lifecycle.labeling.*} in {@code application.yml}.
 *
 * @param adminToken the bearer token of the admin API ({@code LIFECYCLE_ADMIN_TOKEN}); blank
 *     disables the admin API (every admin request is refused with 401)
 * @param lease how long an item handed to a labeler stays theirs before others may get it
 * @param signalEvery completed items after which the job's workflow is signalled
 * @param signalDelay at most this long after an item completes, the workflow hears of it
 */
public record LabelingApiSettings(
    String adminToken, Duration lease, int signalEvery, Duration signalDelay) {
  public LabelingApiSettings {
    adminToken = adminToken == null ? "" : adminToken.strip();
    if (lease.isNegative() || lease.isZero()) {
      throw new IllegalArgumentException("lifecycle.labeling.lease must be positive: " + lease);
    }
    if (signalEvery < 1) {
      throw new IllegalArgumentException(
          "lifecycle.labeling.signal-every must be at least 1: " + signalEvery);
    }
  }

  /** Whether an admin token is configured. */
  public boolean adminEnabled() {
    return !adminToken.isEmpty();
  }
}
