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
  @JsonSubTypes.Type(value = Expr.Not.class, name = "not"),
  @JsonSubTypes.Type(value = Expr.SuccessCriteria.class, name = "successCriteria"),
  @JsonSubTypes.Type(value = Expr.BeatsProduction.class, name = "beatsProduction")
})
public sealed interface Expr
    permits Expr.Compare, Expr.And, Expr.Or, Expr.Not, Expr.SuccessCriteria, Expr.BeatsProduction {

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

  /**
   * The pipeline's success criteria ({@link PipelinePlan#successCriteria()}) used in a condition.
   * The compiler copies the criteria in ({@code criteria} is null as written), so that the
   * condition waits for the steps whose metrics they read.
   *
   * @param criteria the pipeline's criteria; null until compiled
   */
  record SuccessCriteria(Expr criteria) implements Expr {
    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      if (criteria != null) {
        criteria.forEachOperand(visitor);
      }
    }

    @Override
    public String describe() {
      return criteria == null
          ? "successCriteria()"
          : "successCriteria(" + criteria.describe() + ")";
    }
  }

  /**
   * Champion/challenger: the metric beats the one recorded with the registry's current {@code
   * production} version of {@code modelName} by at least {@code margin} (strictly, when the margin
   * is 0), in the metric's direction. When the model has no production version, the challenger
   * wins.
   *
   * @param metric the challenger's metric
   * @param modelName the registry's model; null lets the compiler take the one model the plan
   *     registers
   * @param margin how much better it must be, at least 0 (default 0)
   * @param goal whether lower or higher is better; null lets the compiler take it from the metric's
   *     name ({@link Goal#of})
   */
  record BeatsProduction(MetricRef metric, String modelName, Double margin, Goal goal)
      implements Expr {
    public BeatsProduction {
      Objects.requireNonNull(metric, "metric");
    }

    /** The margin in force. */
    public double marginOrDefault() {
      return margin == null ? 0.0 : margin;
    }

    @Override
    public void forEachOperand(Consumer<Operand> visitor) {
      visitor.accept(metric);
    }

    @Override
    public String describe() {
      return metric.describe()
          + " beats production("
          + (modelName == null ? "" : "'" + modelName + "'")
          + ")"
          + (margin == null || margin == 0 ? "" : " by " + margin);
    }

    /**
     * Whether {@code challenger} beats {@code champion} by this margin: its improvement in the
     * goal's direction is at least the margin, and above 0.
     */
    public boolean test(double challenger, double champion, Goal goalInForce) {
      double improvement =
          goalInForce == Goal.MINIMIZE ? champion - challenger : challenger - champion;
      return improvement > 0 && improvement >= marginOrDefault();
    }
  }

  /** Whether a smaller or a larger value of a metric is better. */
  enum Goal {
    /** Smaller is better: errors and losses. */
    MINIMIZE,
    /** Larger is better: accuracy, F1, AUC, R². */
    MAXIMIZE;

    private static final java.util.Set<String> SMALLER =
        java.util.Set.of(
            "rmse", "mse", "mae", "log_loss", "loss", "train_loss", "validation_loss", "error");
    private static final java.util.Set<String> LARGER =
        java.util.Set.of(
            "accuracy", "precision", "recall", "f1", "roc_auc", "auc", "average_precision", "r2");

    /** The goal of a metric Lifecycle knows, or empty for any other. */
    public static java.util.Optional<Goal> of(String metric) {
      if (SMALLER.contains(metric)) {
        return java.util.Optional.of(MINIMIZE);
      }
      return LARGER.contains(metric) ? java.util.Optional.of(MAXIMIZE) : java.util.Optional.empty();
    }

    /** The metrics whose goal is known, for messages. */
    public static java.util.List<String> known() {
      return java.util.stream.Stream.concat(SMALLER.stream(), LARGER.stream()).sorted().toList();
    }
  }
}
