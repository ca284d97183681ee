package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.plan.RetrySpec;
import dev.lifecycle.dsl.plan.Step;
import dev.lifecycle.dsl.plan.StepOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What every step builder shares: its name and execution options. Defaults: 3 attempts (1 s
 * doubling to 1 min), 1 hour per attempt, the run's own task queue.
 */
public abstract class StepBuilder<S extends StepBuilder<S>> {
  private final String name;
  private StepOptions options = StepOptions.DEFAULT;
  private final List<String> after = new ArrayList<>();

  StepBuilder(String name) {
    this.name = Objects.requireNonNull(name, "step name");
  }

  /** The step's name. */
  public String name() {
    return name;
  }

  /** Retry transient failures by {@code retry}. */
  public S retry(RetrySpec retry) {
    options = options.withRetry(retry);
    return self();
  }

  /** At most {@code attempts} attempts in all (1 = never retry). */
  public S retry(int attempts) {
    return retry(RetrySpec.attempts(attempts));
  }

  /** Longest time one attempt may run. */
  public S timeout(Duration timeout) {
    options = options.withTimeout(timeout);
    return self();
  }

  /** Longest silence of a running attempt before it is retried, possibly on another worker. */
  public S heartbeatTimeout(Duration timeout) {
    options = options.withHeartbeatTimeout(timeout);
    return self();
  }

  /** Run the step on the workers of {@code taskQueue}, e.g. a queue of training machines. */
  public S taskQueue(String taskQueue) {
    options = options.withTaskQueue(taskQueue);
    return self();
  }

  /**
   * Start only after {@code steps} have finished, beyond the steps whose outputs this one reads.
   */
  public S after(StepBuilder<?>... steps) {
    for (StepBuilder<?> step : steps) {
      after.add(step.name());
    }
    return self();
  }

  StepOptions options() {
    return options;
  }

  List<String> afterNames() {
    return List.copyOf(after);
  }

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /**
   * Problems that keep this step from being built at all (a field its plan record cannot do
   * without); reported by {@link Pipeline#build()} before the compiler's own rules run.
   */
  List<Problem> unbuildable() {
    return List.of();
  }

  abstract Step build();
}
