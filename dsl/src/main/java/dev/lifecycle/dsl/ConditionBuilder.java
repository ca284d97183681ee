package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Step;
import java.util.function.Consumer;

/**
 * Branches on a check; the steps after the condition wait for whichever branch ran.
 *
 * <pre>{@code
 * p.condition("rmse-ok", evaluate.metric("rmse").atMost(rmseThreshold))
 *     .then(b -> b.register("register", "abalone-age", train.model()))
 *     .otherwise(b -> b.fail("too-inaccurate", "RMSE {} is too high", evaluate.metric("rmse")));
 * }</pre>
 */
public final class ConditionBuilder extends StepBuilder<ConditionBuilder> {
  private final Check when;
  private final Branch then = new Branch();
  private final Branch otherwise = new Branch();

  ConditionBuilder(String name, Check when) {
    super(name);
    this.when = when;
  }

  /** Steps to run when the check holds. */
  public ConditionBuilder then(Consumer<Branch> steps) {
    steps.accept(then);
    return this;
  }

  /** Steps to run when it does not. */
  public ConditionBuilder otherwise(Consumer<Branch> steps) {
    steps.accept(otherwise);
    return this;
  }

  @Override
  Step build() {
    return new Condition(
        name(),
        when == null ? null : when.expr(),
        then.buildSteps(),
        otherwise.buildSteps(),
        afterNames());
  }
}
