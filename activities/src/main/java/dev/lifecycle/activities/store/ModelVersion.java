package dev.lifecycle.activities.store;

import dev.lifecycle.dsl.plan.ValueType;
import dev.lifecycle.workflows.activities.ArtifactRef;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A registered model version.
 *
 * @param name the model's registry name
 * @param version 1, 2, ... per name, in order of registration
 * @param artifactUri where the model is
 * @param artifactSha256 the model's content hash
 * @param artifactSize bytes
 * @param artifactFormat how the model is stored, e.g. {@code djl}; may be null
 * @param metrics metrics recorded with the version
 * @param datasetUri the data version it was trained from, or null
 * @param datasetSha256 that data version's hash, or null
 * @param planHash sha256 of the plan that produced it, or null
 * @param parameters the producing run's parameter values
 * @param workflowId the producing run's workflow id, or null
 * @param runId the producing run's id
 * @param step the step that registered it
 * @param approval its approval status
 * @param approvalUpdatedAt when the approval status last changed, or null if never
 * @param createdAt when it was registered
 * @param approvedBy who approved or rejected it, or null
 * @param approvalComment why, or null
 * @param transformUri the fitted feature transform the model reads its inputs through, or null
 * @param transformSha256 that transform's hash, or null
 * @param transformSize its size in bytes, or null
 */
public record ModelVersion(
    String name,
    int version,
    String artifactUri,
    String artifactSha256,
    long artifactSize,
    String artifactFormat,
    Map<String, Double> metrics,
    String datasetUri,
    String datasetSha256,
    String planHash,
    Map<String, Object> parameters,
    String workflowId,
    String runId,
    String step,
    ApprovalStatus approval,
    Instant approvalUpdatedAt,
    Instant createdAt,
    String approvedBy,
    String approvalComment,
    String transformUri,
    String transformSha256,
    Long transformSize) {
  public ModelVersion {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(approval, "approval");
    metrics = Map.copyOf(metrics);
    parameters = Map.copyOf(parameters);
  }

  /**
   * The fitted feature transform packaged with the model (JSON, see {@code
   * dev.lifecycle.activities.data.FeatureTransform}), if it has one.
   */
  public Optional<ArtifactRef> transform() {
    if (transformUri == null) {
      return Optional.empty();
    }
    return Optional.of(
        new ArtifactRef(
            transformUri,
            transformSha256,
            transformSize == null ? 0 : transformSize,
            ValueType.TRANSFORM,
            "json"));
  }

  /** The model as an artifact reference. */
  public ArtifactRef artifact() {
    return new ArtifactRef(
        artifactUri, artifactSha256, artifactSize, ValueType.MODEL, artifactFormat);
  }
}
