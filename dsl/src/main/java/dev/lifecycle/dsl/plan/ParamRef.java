package dev.lifecycle.dsl.plan;

import java.util.Objects;

/** A reference to a pipeline parameter by name. */
public record ParamRef(String name) implements Operand {
  public ParamRef {
    Objects.requireNonNull(name, "parameter name");
  }

  @Override
  public String describe() {
    return "param('" + name + "')";
  }
}
