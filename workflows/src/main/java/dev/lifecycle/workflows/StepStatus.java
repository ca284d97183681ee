package dev.lifecycle.workflows;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.util.Map;

/**
 * One step's state in the {@code status} query.
 *
 * @param name the step
 * @param kind its kind, e.g. {@code train}
 * @param parent the condition whose branch holds it, or {@code null}
 * @param state where it is
 * @param startedAt epoch millis (workflow time) it started, or null
 * @param endedAt epoch millis it ended, or null
 * @param artifacts its artifact outputs
 * @param metrics its metrics
 * @param values its scalar outputs
 * @param message a summary, the branch taken, or why it failed or was skipped
 * @param progress the latest progress its activity reported (training: epoch, losses, ETA), or null
 */
public record StepStatus(
    String name,
    String kind,
    String parent,
    StepState state,
    Long startedAt,
    Long endedAt,
    Map<String, ArtifactRef> artifacts,
    Map<String, Double> metrics,
    Map<String, Object> values,
    String message,
    StepProgress progress) {
  public StepStatus {
    artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
    values = values == null ? Map.of() : Map.copyOf(values);
  }

  /** A step without progress reports. */
  public StepStatus(
      String name,
      String kind,
      String parent,
      StepState state,
      Long startedAt,
      Long endedAt,
      Map<String, ArtifactRef> artifacts,
      Map<String, Double> metrics,
      Map<String, Object> values,
      String message) {
    this(name, kind, parent, state, startedAt, endedAt, artifacts, metrics, values, message, null);
  }
}
