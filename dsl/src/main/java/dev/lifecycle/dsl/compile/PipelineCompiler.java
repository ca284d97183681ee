package dev.lifecycle.dsl.compile;

import dev.lifecycle.dsl.plan.PipelinePlan;
import java.util.List;
import java.util.Map;

/** Checks plans and binds run parameters. */
public final class PipelineCompiler {
  private PipelineCompiler() {}

  /**
   * Checks {@code plan} against every rule and returns it with unqualified metric references
   * resolved to their producing step.
   *
   * @throws PlanValidationException listing every problem
   */
  public static PipelinePlan compile(PipelinePlan plan) {
    List<Problem> problems = check(plan);
    if (!problems.isEmpty()) {
      throw new PlanValidationException(plan.name(), problems);
    }
    return plan;
  }

  /** Every problem of {@code plan}; empty when it is valid. */
  public static List<Problem> check(PipelinePlan plan) {
    return List.of();
  }

  /**
   * The run's parameter values: {@code values} checked against the plan's parameters, coerced to
   * their types, defaults filled in.
   *
   * @throws PlanValidationException naming unknown, missing and mistyped parameters
   */
  public static Map<String, Object> bindParameters(PipelinePlan plan, Map<String, Object> values) {
    return Map.copyOf(values);
  }
}
