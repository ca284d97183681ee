package dev.lifecycle.workflows.activities;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;

/**
 * Compiles a registered pipeline by name inside an activity, so that the plan a run executes is
 * recorded in its history (replay never recompiles a changed definition).
 */
@ActivityInterface
public interface PlanActivities {

  /**
   * The compiled plan of {@code pipeline} with {@code parameters} bound to it.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable, of type {@code UNKNOWN_PIPELINE},
   *     {@code INVALID_PLAN} or {@code INVALID_PARAMETER}
   */
  @ActivityMethod(name = "CompilePipeline")
  CompiledRun compile(String pipeline, Map<String, Object> parameters);
}
