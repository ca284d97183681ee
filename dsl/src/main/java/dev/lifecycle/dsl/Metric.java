package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Operand;

/** A metric produced by an earlier step (evaluate, train), usable in conditions and messages. */
public final class Metric implements NumberValue {
  private final String step;
  private final String name;

  Metric(String step, String name) {
    this.step = step;
    this.name = name;
  }

  @Override
  public Operand operand() {
    return new MetricRef(step, name);
  }

  @Override
  public String toString() {
    return operand().describe();
  }
}
