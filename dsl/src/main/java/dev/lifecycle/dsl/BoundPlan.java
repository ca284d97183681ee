package dev.lifecycle.dsl;

import dev.lifecycle.dsl.plan.PipelinePlan;
import java.util.Map;
import java.util.Objects;

/**
 * A compiled plan with a run's parameters bound: every parameter present, defaults filled in,
 * values of the declared types.
 */
public record BoundPlan(PipelinePlan plan, Map<String, Object> parameters) {
  public BoundPlan {
    Objects.requireNonNull(plan, "plan");
    parameters =
        parameters == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
  }
}
