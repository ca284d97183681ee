package dev.lifecycle.activities.deployment.serving;

import java.time.Instant;

/** A rollout that was rolled back: the version that failed, the one that kept serving, and why. */
public record RollbackEvent(Instant at, int fromVersion, int backToVersion, String reason) {}
