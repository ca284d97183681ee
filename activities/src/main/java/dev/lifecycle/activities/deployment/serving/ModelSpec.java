package dev.lifecycle.activities.deployment.serving;

import dev.lifecycle.workflows.activities.ArtifactRef;
import java.util.Objects;

/**
 * A registered model version to serve.
 *
 * @param modelName the registry name
 * @param version the registry version
 * @param artifact the model directory
 */
public record ModelSpec(String modelName, int version, ArtifactRef artifact) {
  public ModelSpec {
    Objects.requireNonNull(modelName, "modelName");
    Objects.requireNonNull(artifact, "artifact");
  }
}
