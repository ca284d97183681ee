package dev.lifecycle.activities.store;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What registering a model version records. The version number is assigned by the registry.
 *
 * @param name the model's registry name, e.g. {@code abalone-age}
 * @param artifact the model in the artifact store
 * @param metrics metrics to keep with the version, by name
 * @param dataset the data version the model was trained from, or null
 * @param planHash sha256 of the plan that produced the model, or null
 * @param parameters the run's parameter values
 * @param workflowId the run's workflow id, or null
 * @param runId the run's id; with {@code step}, the idempotency key
 * @param step the registering step's name
 * @param transform the fitted feature transform the model reads its inputs through, or null
 */
public record NewModelVersion(
    String name,
    ArtifactRef artifact,
    Map<String, Double> metrics,
    ArtifactRef dataset,
    String planHash,
    Map<String, Object> parameters,
    String workflowId,
    String runId,
    String step,
    ArtifactRef transform) {
  public NewModelVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(artifact, "artifact");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(step, "step");
    if (name.isBlank()) {
      throw new IllegalArgumentException("A model name must not be blank");
    }
    metrics = metrics == null ? Map.of() : new TreeMap<>(metrics);
    parameters = parameters == null ? Map.of() : new TreeMap<>(parameters);
  }

  /** A version without a feature transform. */
  public NewModelVersion(
      String name,
      ArtifactRef artifact,
      Map<String, Double> metrics,
      ArtifactRef dataset,
      String planHash,
      Map<String, Object> parameters,
      String workflowId,
      String runId,
      String step) {
    this(name, artifact, metrics, dataset, planHash, parameters, workflowId, runId, step, null);
  }
}
