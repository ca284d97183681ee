package dev.lifecycle.activities.deployment.serving;

/**
 * How a rollout ended.
 *
 * @param endpoint the endpoint
 * @param version the version rolled out
 * @param promoted true when the version took all traffic; false when it was rolled back
 * @param reason why it was rolled back (the alarm and its numbers), or null
 */
public record RolloutOutcome(String endpoint, int version, boolean promoted, String reason) {}
