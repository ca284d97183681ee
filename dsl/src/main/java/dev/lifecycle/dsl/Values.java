package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.MetricRef;
import dev.lifecycle.dsl.plan.Operand;
import dev.lifecycle.dsl.plan.ParamRef;

/**
 * Values that are not tied to a builder: literals, and metrics and parameters named by string.
 *
 * <pre>{@code
 * import static dev.lifecycle.dsl.Values.*;
 * p.condition("good-enough", metric("rmse").atMost(param("rmseThreshold")));
 * }</pre>
 */
public final class Values {
  private Values() {}

  /** A constant string. */
  public static Value<String> of(String value) {
    Literal literal = new Literal(value);
    return () -> literal;
  }

  /** The metric {@code name} of the one earlier step that produces it. */
  public static NumberValue metric(String name) {
    MetricRef ref = new MetricRef(null, name);
    return () -> ref;
  }

  /** The metric {@code name} of step {@code step}. */
  public static NumberValue metric(String step, String name) {
    MetricRef ref = new MetricRef(step, name);
    return () -> ref;
  }

  /** The numeric parameter {@code name}. */
  public static NumberValue param(String name) {
    ParamRef ref = new ParamRef(name);
    return () -> ref;
  }

  /** A constant number. */
  public static NumberValue number(double value) {
    Operand literal = new Literal(value);
    return () -> literal;
  }

  /**
   * The production version of the one model the pipeline registers, as the champion to beat: {@code
   * metric("rmse").beats(production()).by(0.01)}.
   */
  public static Production production() {
    return new Production(null);
  }

  /** The production version of model {@code modelName} in the registry. */
  public static Production production(String modelName) {
    return new Production(modelName);
  }

  /**
   * Holds when the pipeline's {@linkplain Pipeline#successCriteria success criteria} do: {@code
   * p.condition("goal-met", successCriteria()).then(...)}.
   */
  public static Check successCriteria() {
    return new Check(new dev.lifecycle.dsl.plan.Expr.SuccessCriteria(null));
  }

  /** A constant integer. */
  public static Value<Integer> integer(int value) {
    Operand literal = new Literal(value);
    return () -> literal;
  }
}
