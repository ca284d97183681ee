package dev.lifecycle.dsl.plan;

import java.util.Objects;

/** One input of a step: what it reads and the type the step expects there. */
public record Input(Operand operand, ValueType expected) {
  public Input {
    Objects.requireNonNull(operand, "operand");
    Objects.requireNonNull(expected, "expected");
  }
}
