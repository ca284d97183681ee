package dev.lifecycle.activities.deployment.serving;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.util.Objects;

/**
 * A registered model version to serve.
 *
 * @param modelName the registry name
 * @param version the registry version
 * @param artifact the model directory
 * @param transform the fitted feature transform packaged with the version (applied to raw requests
 *     before the model), or null when the model reads its inputs as they come
 */
public record ModelSpec(
    String modelName, int version, ArtifactRef artifact, ArtifactRef transform) {
  public ModelSpec {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(artifact, "artifact");
  }

  /** A version without a feature transform. */
  public ModelSpec(String modelName, int version, ArtifactRef artifact) {
    this(modelName, version, artifact, null);
  }
}
