package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Condition;
import dev.lifecycle.dsl.plan.Step;
import java.util.ArrayList;
import java.util.List;
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
  List<Problem> unbuildable() {
    List<Problem> problems = new ArrayList<>();
    if (when == null) {
      problems.add(
          new Problem(
              name(),
              Rules.MISSING_INPUT,
              "Condition '"
                  + name()
                  + "' has no check. Pass one: p.condition(\""
                  + name()
                  + "\", evaluate.metric(\"rmse\").atMost(threshold))."));
    }
    problems.addAll(then.unbuildable());
    problems.addAll(otherwise.unbuildable());
    return problems;
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
