package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Literal;
import dev.lifecycle.dsl.plan.Operand;

/**
 * A number that conditions compare: a metric or a numeric parameter.
 *
 * <pre>{@code
 * evaluate.metric("rmse").atMost(rmseThreshold)
 * metric("accuracy").atLeast(0.9).and(metric("f1").greaterThan(param("minF1")))
 * }</pre>
 */
public interface NumberValue extends Value<Number> {

  /** {@code this <= bound}. */
  default Check atMost(double bound) {
    return compare(Expr.Op.LE, new Literal(bound));
  }

  /** {@code this <= bound}. */
  default Check atMost(Value<? extends Number> bound) {
    return compare(Expr.Op.LE, bound.operand());
  }

  /** {@code this >= bound}. */
  default Check atLeast(double bound) {
    return compare(Expr.Op.GE, new Literal(bound));
  }

  /** {@code this >= bound}. */
  default Check atLeast(Value<? extends Number> bound) {
    return compare(Expr.Op.GE, bound.operand());
  }

  /** {@code this < bound}. */
  default Check lessThan(double bound) {
    return compare(Expr.Op.LT, new Literal(bound));
  }

  /** {@code this < bound}. */
  default Check lessThan(Value<? extends Number> bound) {
    return compare(Expr.Op.LT, bound.operand());
  }

  /** {@code this > bound}. */
  default Check greaterThan(double bound) {
    return compare(Expr.Op.GT, new Literal(bound));
  }

  /** {@code this > bound}. */
  default Check greaterThan(Value<? extends Number> bound) {
    return compare(Expr.Op.GT, bound.operand());
  }

  /**
   * Champion/challenger: this metric beats the one of the registry's {@code production} version;
   * see {@link Beats}.
   *
   * @throws IllegalArgumentException when this value is not a metric
   */
  default Beats beats(Production production) {
    if (!(operand() instanceof dev.lifecycle.dsl.plan.MetricRef metric)) {
      throw new IllegalArgumentException(
          "beats(production()) compares a metric with production's; "
              + operand().describe()
              + " is not a metric");
    }
    return Beats.of(metric, production);
  }

  private Check compare(Expr.Op op, Operand right) {
    return new Check(new Expr.Compare(operand(), op, right));
  }
}
