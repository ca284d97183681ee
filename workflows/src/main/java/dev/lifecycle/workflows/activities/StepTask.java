package dev.lifecycle.workflows.activities;

import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.workflows.FailureTypes;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.Optional;

/**
 * What an activity gets to run one step: the step as planned, and its inputs resolved by the
 * interpreter (artifacts by reference, scalars by value), keyed by the input names of {@link
 * Step#inputs()}.
 */
public record StepTask(
    RunInfo run, Step step, Map<String, ArtifactRef> artifacts, Map<String, Object> values) {
  public StepTask {
    artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
    values = values == null ? Map.of() : Map.copyOf(values);
  }

  /** The step's name. */
  public String stepName() {
    return step.name();
  }

  /** A key unique to this run and step, for idempotent side effects. */
  public String idempotencyKey() {
    return run.runId() + "/" + step.name();
  }

  /** The artifact read by {@code input}; fails non-retryably when the interpreter sent none. */
  public ArtifactRef artifact(String input) {
    ArtifactRef ref = artifacts.get(input);
    if (ref == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "' has no artifact for input '" + input + "'",
          FailureTypes.INVALID_PLAN);
    }
    return ref;
  }

  /** The artifact read by {@code input}, if the step has that input. */
  public Optional<ArtifactRef> optionalArtifact(String input) {
    return Optional.ofNullable(artifacts.get(input));
  }

  /** The scalar read by {@code input}. */
  public Object value(String input) {
    Object value = values.get(input);
    if (value == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "' has no value for input '" + input + "'",
          FailureTypes.INVALID_PLAN);
    }
    return value;
  }

  /** The scalar read by {@code input}, or {@code fallback} when the step has none. */
  public Object value(String input, Object fallback) {
    return values.getOrDefault(input, fallback);
  }

  /** The number read by {@code input}. */
  public double number(String input) {
    return toNumber(input, value(input)).doubleValue();
  }

  /** The integer read by {@code input}. */
  public int integer(String input) {
    Number n = toNumber(input, value(input));
    if (n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '" + step.name() + "' input '" + input + "' must be an integer, got " + n,
          FailureTypes.INVALID_PLAN);
    }
    return n.intValue();
  }

  /** The string read by {@code input}. */
  public String string(String input) {
    return String.valueOf(value(input));
  }

  private Number toNumber(String input, Object value) {
    if (value instanceof Number n) {
      return n;
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "Step '" + step.name() + "' input '" + input + "' must be a number, got '" + value + "'",
        FailureTypes.INVALID_PLAN);
  }
}
