package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.ParamRef;

/**
 * A pipeline parameter, declared with {@link Pipeline#doubleParam}, {@link Pipeline#intParam},
 * {@link Pipeline#stringParam} or {@link Pipeline#booleanParam}; each run may set it.
 */
public class Param<T> implements Value<T> {
  private final String name;

  Param(String name) {
    this.name = name;
  }

  /** The parameter's name. */
  public String name() {
    return name;
  }

  @Override
  public Operand operand() {
    return new ParamRef(name);
  }

  /** A numeric parameter, usable in conditions. */
  public static final class Number<N extends java.lang.Number> extends Param<java.lang.Number>
      implements NumberValue {
    Number(String name) {
      super(name);
    }
  }
}
