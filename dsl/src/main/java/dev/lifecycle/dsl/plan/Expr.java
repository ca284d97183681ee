package dev.lifecycle.dsl.plan;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A typed boolean expression over metrics and parameters, read by a {@link Condition}. Built with
 * the DSL, e.g. {@code metric("rmse").atMost(param("rmseThreshold"))}, never parsed from strings.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Expr.Compare.class, name = "compare"),
  @JsonSubTypes.Type(value = Expr.And.class, name = "and"),
  @JsonSubTypes.Type(value = Expr.Or.class, name = "or"),
  @JsonSubTypes.Type(value = Expr.Not.class, name = "not")
})
public sealed interface Expr permits Expr.Compare, Expr.And, Expr.Or, Expr.Not {

  /** Calls {@code visitor} with every operand in this expression, depth first. */
  void forEachOperand(Consumer<Operand> visitor);

  /** How the expression reads in messages. */
  String describe();

  /** Comparison operators. */
  enum Op {
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">="),
    EQ("=="),
    NE("!=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** Applies the operator to two numbers. */
    public boolean test(double left, double right) {
      return switch (this) {
        case LT -> left < right;
        case LE -> left <= right;
        case GT -> left > right;
        case GE -> left >= right;
        case EQ -> left == right;
        case NE -> left != right;
      };
    }
  }

  /** {@code left op right}, compared as numbers (or as strings/booleans for EQ and NE). */
  record Compare(Operand left, Op op, Operand right) implements Expr {
    public Compare {
      Objects.requireNonNull(left, "left");
      Objects.requireNonNull(op, "op");
      Objects.requireNonNull(right, "right");
    }

    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      visitor.accept(left);
      visitor.accept(right);
    }

    @Override
    public String describe() {
      return left.describe() + " " + op.symbol() + " " + right.describe();
    }
  }

  /** True when every part is. */
  record And(List<Expr> parts) implements Expr {
    public And {
      parts = List.copyOf(parts);
      if (parts.size() < 2) {
        throw new IllegalArgumentException("and() needs at least two expressions");
      }
    }

    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      parts.forEach(p -> p.forEachOperand(visitor));
    }

    @Override
    public String describe() {
      return "(" + String.join(" and ", parts.stream().map(Expr::describe).toList()) + ")";
    }
  }

  /** True when any part is. */
  record Or(List<Expr> parts) implements Expr {
    public Or {
      parts = List.copyOf(parts);
      if (parts.size() < 2) {
        throw new IllegalArgumentException("or() needs at least two expressions");
      }
    }

    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      parts.forEach(p -> p.forEachOperand(visitor));
    }

    @Override
    public String describe() {
      return "(" + String.join(" or ", parts.stream().map(Expr::describe).toList()) + ")";
    }
  }

  /** True when the part is false. */
  record Not(Expr part) implements Expr {
    public Not {
      Objects.requireNonNull(part, "part");
    }

    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      part.forEachOperand(visitor);
    }

    @Override
    public String describe() {
      return "not " + part.describe();
    }
  }
}
