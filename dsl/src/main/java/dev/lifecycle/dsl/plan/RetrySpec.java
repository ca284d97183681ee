package dev.lifecycle.dsl.plan;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a step's activity is retried on transient failures. Failures the user must fix (bad data, bad
 * plan) are never retried, whatever this says.
 *
 * @param maximumAttempts attempts in all, 1 for no retry; default 3
 * @param initialInterval wait before the first retry; default 1 second
 * @param backoffCoefficient growth of the wait per attempt; default 2.0
 * @param maximumInterval longest wait between attempts; default 1 minute
 * @param nonRetryableErrorTypes further failure types that must not be retried
 */
public record RetrySpec(
    int maximumAttempts,
    Duration initialInterval,
    double backoffCoefficient,
    Duration maximumInterval,
    List<String> nonRetryableErrorTypes) {

  /** Three attempts, 1 s doubling to at most 1 min. */
  public static final RetrySpec DEFAULT =
      new RetrySpec(3, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(1), List.of());

  public RetrySpec {
    if (maximumAttempts < 1) {
      throw new IllegalArgumentException(
          "maximumAttempts must be at least 1, got " + maximumAttempts);
    }
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maximumInterval, "maximumInterval");
    if (backoffCoefficient < 1.0) {
      throw new IllegalArgumentException(
          "backoffCoefficient must be at least 1.0, got " + backoffCoefficient);
    }
    nonRetryableErrorTypes =
        nonRetryableErrorTypes == null ? List.of() : List.copyOf(nonRetryableErrorTypes);
  }

  /** {@code attempts} attempts with the default intervals. */
  public static RetrySpec attempts(int attempts) {
    return new RetrySpec(
        attempts,
        DEFAULT.initialInterval(),
        DEFAULT.backoffCoefficient(),
        DEFAULT.maximumInterval(),
        List.of());
  }
}
