package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.compile.Rules;
import dev.lifecycle.dsl.plan.Fail;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.Step;
import java.util.List;

/** Fails the run with a message; each {@code {}} in it shows the next argument's value. */
public final class FailBuilder extends StepBuilder<FailBuilder> {
  private final String message;
  private final List<Operand> args;

  FailBuilder(String name, String message, List<Operand> args) {
    super(name);
    this.message = message;
    this.args = args;
  }

  @Override
  List<Problem> unbuildable() {
    if (message != null) {
      return List.of();
    }
    return List.of(
        new Problem(
            name(),
            Rules.MISSING_INPUT,
            "Fail step '"
                + name()
                + "' has no message. Set it: fail(\""
                + name()
                + "\", \"RMSE {} is too high\", rmse)."));
  }

  @Override
  Step build() {
    return new Fail(name(), message, args, afterNames());
  }
}
