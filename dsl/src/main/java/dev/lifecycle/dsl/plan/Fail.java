package dev.lifecycle.dsl.plan;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Fails the run with a message. Each {@code {}} in the message is replaced by the value of the next
 * argument, e.g. {@code "RMSE {} is above the threshold {}"}.
 */
@Step.Kind("fail")
public record Fail(String name, String message, List<Operand> args, List<String> after)
    implements Step {
  public Fail {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(message, "message of fail step '" + name + "'");
    args = args == null ? List.of() : List.copyOf(args);
    after = Inputs.copy(after);
  }

  @Override
  public StepOptions options() {
    return StepOptions.DEFAULT;
  }

  /** The arguments, named {@code arg0}, {@code arg1}, ...; any scalar type is accepted. */
  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.fail(this);
  }

  @Override
  public Map<String, Input> inputs() {
    Inputs inputs = new Inputs();
    for (int i = 0; i < args.size(); i++) {
      Operand arg = args.get(i);
      inputs.put("arg" + i, arg, arg instanceof Literal l ? l.type() : ValueType.STRING);
    }
    return inputs.build();
  }

  @Override
  public Map<String, ValueType> outputs() {
    return Map.of();
  }

  /** The message with each {@code {}} replaced by the next of {@code values}. */
  public String format(List<?> values) {
    StringBuilder out = new StringBuilder();
    int next = 0;
    int from = 0;
    int at;
    while ((at = message.indexOf("{}", from)) >= 0) {
      out.append(message, from, at);
      out.append(next < values.size() ? String.valueOf(values.get(next++)) : "{}");
      from = at + 2;
    }
    return out.append(message.substring(from)).toString();
  }
}
