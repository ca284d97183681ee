package dev.lifecycle.activities.plan;

import dev.lifecycle.dsl.BoundPlan;
import dev.lifecycle.dsl.PipelineRegistry;
import dev.lifecycle.dsl.UnknownPipelineException;
import dev.lifecycle.dsl.compile.PlanValidationException;
import dev.lifecycle.dsl.plan.PlanJson;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.activities.CompiledRun;
import dev.lifecycle.workflows.activities.PlanActivities;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Compiles a pipeline of the worker's {@link PipelineRegistry} and binds a run's parameters. Every
 * failure is the user's to fix, so none is retried: an unknown name ({@link
 * FailureTypes#UNKNOWN_PIPELINE}), parameters that do not fit ({@link
 * FailureTypes#INVALID_PARAMETER}), or a definition that breaks a compiler rule ({@link
 * FailureTypes#INVALID_PLAN}). The failure's message lists every problem; for the latter two its
 * details hold the {@link dev.lifecycle.dsl.compile.Problem}s as a list.
 */
public final class PlanActivitiesImpl implements PlanActivities {
  /**
   * The largest plan returned as an activity result. Temporal rejects payloads over 2 MB, and a run
   * must not discover that after its compile activity has timed out.
   */
  static final int MAX_PLAN_BYTES = 1024 * 1024;

  private final PipelineRegistry registry;

  public PlanActivitiesImpl(PipelineRegistry registry) {
    this.registry = Objects.requireNonNull(registry, "registry");
  }

  @Override
  public CompiledRun compile(String pipeline, Map<String, Object> parameters) {
    BoundPlan bound;
    try {
      bound = registry.bind(pipeline, parameters);
    } catch (UnknownPipelineException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(), FailureTypes.UNKNOWN_PIPELINE, e.known());
    } catch (PlanValidationException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          e.getMessage(),
          e.parametersOnly() ? FailureTypes.INVALID_PARAMETER : FailureTypes.INVALID_PLAN,
          e.problems());
    }
    int bytes = PlanJson.write(bound.plan()).getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_PLAN_BYTES) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The plan of pipeline '"
              + pipeline
              + "' is "
              + bytes
              + " bytes as JSON, over the "
              + MAX_PLAN_BYTES
              + " bytes a run can carry in its history. Move large strings out of the"
              + " definition into files the pipeline ingests.",
          FailureTypes.INVALID_PLAN);
    }
    return new CompiledRun(bound.plan(), bound.parameters(), PlanJson.hash(bound.plan()));
  }
}
