package dev.lifecycle.workflows.activities;

import dev.lifecycle.dsl.plan.PipelinePlan;
import java.util.Map;

/**
 * A checked plan with the run's parameters bound (defaults filled in, types coerced).
 *
 * @param planHash sha256 of the plan's JSON
 */
public record CompiledRun(PipelinePlan plan, Map<String, Object> parameters, String planHash) {
  public CompiledRun {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
  }
}
