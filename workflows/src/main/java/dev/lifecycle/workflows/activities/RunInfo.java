package dev.lifecycle.workflows.activities;

import java.util.Map;

/**
 * The run a step belongs to. Activities key their side effects by {@code runId} and step name, so a
 * retried attempt finds and reuses what an earlier attempt stored.
 *
 * @param workflowId the run's workflow id
 * @param runId the Temporal run id
 * @param pipeline the pipeline's name
 * @param planHash sha256 of the plan being run
 * @param parameters the run's bound parameter values
 */
public record RunInfo(
    String workflowId,
    String runId,
    String pipeline,
    String planHash,
    Map<String, Object> parameters) {
  public RunInfo {
    parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
  }
}
