package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.MetricRef;

/**
 * Champion/challenger: holds when the metric beats the one recorded with the registry's {@code
 * production} version by the margin (default: any improvement). Lower is better for {@code rmse,
 * mse, mae, log_loss} and losses, higher for {@code accuracy, precision, recall, f1, roc_auc, r2};
 * for any other metric say which with {@link #lowerIsBetter()} or {@link #higherIsBetter()}. When
 * the model has no production version yet, the challenger wins.
 *
 * <pre>{@code
 * p.condition("better", evaluate.metric("rmse").beats(production()).by(0.01))
 *     .then(b -> b.deploy("serve", register));
 * }</pre>
 */
public final class Beats extends Check {
  private final Expr.BeatsProduction beats;

  Beats(Expr.BeatsProduction beats) {
    super(beats);
    this.beats = beats;
  }

  /** At least {@code margin} better (in the metric's units). */
  public Beats by(double margin) {
    return new Beats(
        new Expr.BeatsProduction(beats.metric(), beats.modelName(), margin, beats.goal()));
  }

  /** For a metric Lifecycle does not know: smaller values are better. */
  public Beats lowerIsBetter() {
    return withGoal(Expr.Goal.MINIMIZE);
  }

  /** For a metric Lifecycle does not know: larger values are better. */
  public Beats higherIsBetter() {
    return withGoal(Expr.Goal.MAXIMIZE);
  }

  private Beats withGoal(Expr.Goal goal) {
    return new Beats(
        new Expr.BeatsProduction(beats.metric(), beats.modelName(), beats.margin(), goal));
  }

  static Beats of(MetricRef metric, Production production) {
    return new Beats(
        new Expr.BeatsProduction(
            metric, production.modelName(), null, Expr.Goal.of(metric.metric()).orElse(null)));
  }
}
