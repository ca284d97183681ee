package dev.lifecycle.workflows;

import java.util.List;
import java.util.Map;

/**
 * A run's state: the answer of the {@code status} query and the workflow's result.
 *
 * @param pipeline the pipeline's name (null until known)
 * @param planHash sha256 of the plan being run
 * @param state where the run is
 * @param message why it failed, or a summary
 * @param parameters the bound parameters
 * @param steps every step, in plan order (branch steps after their condition)
 * @param startedAt epoch millis (workflow time)
 * @param endedAt epoch millis, or null while running
 * @param successCriteria where the run stands against the pipeline's success criteria; null when it
 *     states none
 */
public record RunStatus(
    String pipeline,
    String planHash,
    RunState state,
    String message,
    Map<String, Object> parameters,
    List<StepStatus> steps,
    long startedAt,
    Long endedAt,
    CriteriaStatus successCriteria) {
  public RunStatus {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    steps = steps == null ? List.of() : List.copyOf(steps);
  }

  /** A status of a run whose pipeline states no success criteria. */
  public RunStatus(
      String pipeline,
      String planHash,
      RunState state,
      String message,
      Map<String, Object> parameters,
      List<StepStatus> steps,
      long startedAt,
      Long endedAt) {
    this(pipeline, planHash, state, message, parameters, steps, startedAt, endedAt, null);
  }

  /** The step named {@code name}, or null. */
  public StepStatus step(String name) {
    return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }
}
