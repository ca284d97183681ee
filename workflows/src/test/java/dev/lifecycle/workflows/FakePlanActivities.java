package dev.lifecycle.workflows;

import dev.lifecycle.dsl.Pipeline;
import dev.lifecycle.dsl.compile.PipelineCompiler;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.plan.PipelinePlan;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.activities.CompiledRun;
import dev.lifecycle.workflows.activities.PlanActivities;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Compiles the pipelines it was given by name, as the worker's registry does. */
final class FakePlanActivities implements PlanActivities {
  private final Map<String, Supplier<Pipeline>> pipelines;
  final AtomicInteger calls = new AtomicInteger();

  FakePlanActivities(Map<String, Supplier<Pipeline>> pipelines) {
    this.pipelines = pipelines;
  }

  @Override
  public CompiledRun compile(String pipeline, Map<String, Object> parameters) {
    calls.incrementAndGet();
    Supplier<Pipeline> definition = pipelines.get(pipeline);
    if (definition == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "No pipeline named '" + pipeline + "'. Registered: " + pipelines.keySet(),
          FailureTypes.UNKNOWN_PIPELINE);
    }
    PipelinePlan plan;
    try {
      plan = definition.get().compile();
    } catch (PlanValidationException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_PLAN);
    }
    try {
      return new CompiledRun(
          plan, PipelineCompiler.bindParameters(plan, parameters), PlanJson.hash(plan));
    } catch (PlanValidationException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureTypes.INVALID_PARAMETER);
    }
  }
}
