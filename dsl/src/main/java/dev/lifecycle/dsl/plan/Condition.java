package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs {@code then} when {@code when} holds and {@code otherwise} when it does not; the steps after
 * the condition wait for the branch taken, then go on.
 */
@Step.Kind("condition")
public record Condition(
    String name, Expr when, List<Step> then, List<Step> otherwise, List<String> after)
    implements Step {
  public Condition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(when, "expression of condition '" + name + "'");
    then = then == null ? List.of() : List.copyOf(then);
    otherwise = otherwise == null ? List.of() : List.copyOf(otherwise);
    after = Inputs.copy(after);
  }

  @Override
  public StepOptions options() {
    return StepOptions.DEFAULT;
  }

  /** The operands of the expression, named {@code when0}, {@code when1}, ... */
  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.condition(this);
  }

  @Override
  public Map<String, Input> inputs() {
    Inputs inputs = new Inputs();
    int[] i = {0};
    when.forEachOperand(o -> inputs.put("when" + i[0]++, o, expectedOf(o)));
    return inputs.build();
  }

  private static ValueType expectedOf(Operand operand) {
    if (operand instanceof Literal literal) {
      return literal.type();
    }
    return ValueType.DOUBLE;
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of("taken", ValueType.STRING);
  }
}
