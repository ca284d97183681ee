package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Expr;
import java.util.List;
import java.util.Objects;

/**
 * A boolean test over metrics and parameters; combine with {@link #and}, {@link #or}, {@link #not}.
 */
public class Check {
  private final Expr expr;

  Check(Expr expr) {
    this.expr = Objects.requireNonNull(expr);
  }

  /** True when both hold. */
  public Check and(Check other) {
    return new Check(new Expr.And(List.of(expr, other.expr)));
  }

  /** True when either holds. */
  public Check or(Check other) {
    return new Check(new Expr.Or(List.of(expr, other.expr)));
  }

  /** True when {@code check} does not hold. */
  public static Check not(Check check) {
    return new Check(new Expr.Not(check.expr));
  }

  /** The plan's expression. */
  public Expr expr() {
    return expr;
  }

  @Override
  public String toString() {
    return expr.describe();
  }
}
