package dev.lifecycle.dsl;

import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.compile.Problem;
import dev.lifecycle.dsl.plan.Expr;
import dev.lifecycle.dsl.plan.Parameter;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline definition: typed parameters and steps. {@link #compile()} checks it and returns the
 * plan the interpreter runs.
 *
 * <pre>{@code
 * Pipeline p = Pipeline.named("abalone").description("Predict abalone age from size");
 * Param.Number<Double> rmseThreshold = p.doubleParam("rmseThreshold", 2.5, "Largest RMSE to ship");
 * var raw = p.ingest("ingest").csv("classpath:datasets/abalone.csv").dataset();
 * var split = p.split("split", raw).ratios(0.8, 0.1, 0.1).seed(42);
 * ...
 * PipelinePlan plan = p.compile();
 * }</pre>
 */
public final class Pipeline extends StepContainer {
  private final String name;
  private String description = "";
  private final List<Parameter> parameters = new ArrayList<>();
  private final List<Check> successCriteria = new ArrayList<>();

  private Pipeline(String name) {
    this.name = name;
  }

  /** Starts a pipeline definition. */
  public static Pipeline named(String name) {
    return new Pipeline(name);
  }

  /** What the pipeline does, for people. */
  public Pipeline description(String description) {
    this.description = description;
    return this;
  }

  /** A double parameter; {@code defaultValue} null makes it required. */
  public Param.Number<Double> doubleParam(String name, Double defaultValue, String description) {
    parameters.add(new Parameter(name, ValueType.DOUBLE, defaultValue, description));
    return new Param.Number<>(name);
  }

  /** An integer parameter; {@code defaultValue} null makes it required. */
  public Param.Number<Integer> intParam(String name, Integer defaultValue, String description) {
    parameters.add(new Parameter(name, ValueType.INTEGER, defaultValue, description));
    return new Param.Number<>(name);
  }

  /** A string parameter; {@code defaultValue} null makes it required. */
  public Param<String> stringParam(String name, String defaultValue, String description) {
    parameters.add(new Parameter(name, ValueType.STRING, defaultValue, description));
    return new Param<>(name);
  }

  /** A boolean parameter; {@code defaultValue} null makes it required. */
  public Param<Boolean> booleanParam(String name, Boolean defaultValue, String description) {
    parameters.add(new Parameter(name, ValueType.BOOLEAN, defaultValue, description));
    return new Param<>(name);
  }

  /**
   * The business goal the run is judged by, beside the metric: {@code
   * p.successCriteria(metric("f1").atLeast(0.85))}. Several calls or checks must all hold. The
   * run's status reports whether they are met, with the values, as soon as the metrics exist; a
   * condition can branch on them with {@link Values#successCriteria()}.
   */
  public Pipeline successCriteria(Check... checks) {
    successCriteria.addAll(List.of(checks));
    return this;
  }

  /** The pipeline's name. */
  public String name() {
    return name;
  }

  /**
   * The plan as written, not checked by the compiler's rules.
   *
   * @throws PlanValidationException when a step lacks a field its plan record cannot do without (an
   *     ingest without a source, a condition without a check, a fail without a message); every such
   *     step is listed
   */
  public PipelinePlan build() {
    List<Problem> unbuildable = unbuildable();
    if (!unbuildable.isEmpty()) {
      throw new PlanValidationException(name, unbuildable);
    }
    Expr criteria =
        switch (successCriteria.size()) {
          case 0 -> null;
          case 1 -> successCriteria.get(0).expr();
          default -> new Expr.And(successCriteria.stream().map(Check::expr).toList());
        };
    return new PipelinePlan(
        PipelinePlan.SCHEMA_VERSION, name, description, parameters, buildSteps(), criteria);
  }

  /**
   * The checked plan.
   *
   * @throws PlanValidationException listing every problem found
   */
  public PipelinePlan compile() {
    return PipelineCompiler.compile(build());
  }
}
