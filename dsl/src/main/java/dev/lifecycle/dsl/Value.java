package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Operand;

/**
 * Something a step can read: a parameter, a literal, a metric or an earlier step's output. {@code
 * T} is the Java type of the value, so that the compiler of your IDE already rejects a dataset
 * where a number belongs.
 */
public interface Value<T> {
  /** The plan's reference to this value. */
  Operand operand();
}
