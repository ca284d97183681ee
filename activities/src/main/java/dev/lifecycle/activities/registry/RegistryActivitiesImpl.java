package dev.lifecycle.activities.registry;

import dev.lifecycle.activities.data.FeatureTransform;
import dev.lifecycle.activities.store.ApprovalStatus;
import dev.lifecycle.activities.store.ArtifactStore;
import dev.lifecycle.activities.store.LineageStore;
import dev.lifecycle.activities.store.MetadataStore;
import dev.lifecycle.activities.store.ModelVersion;
import dev.lifecycle.activities.store.NewModelVersion;
import dev.lifecycle.activities.training.ModelBundle;
import dev.lifecycle.activities.training.ModelMetadata;
import dev.lifecycle.dsl.plan.Register;
import dev.lifecycle.workflows.FailureTypes;
import dev.lifecycle.workflows.PipelineWorkflowImpl;
import dev.lifecycle.workflows.activities.ArtifactRef;
import dev.lifecycle.workflows.activities.ProductionModel;
import dev.lifecycle.workflows.activities.RegistryActivities;
import dev.lifecycle.workflows.activities.RunInfo;
import dev.lifecycle.workflows.activities.StepResult;
import dev.lifecycle.workflows.activities.StepTask;
import dev.lifecycle.workflows.activities.VersionApproval;
import io.temporal.failure.ApplicationFailure;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Registers models in the {@link dev.lifecycle.activities.store.ModelRegistry}: the model artifact,
 * the fitted feature transform it reads its inputs through (input {@code transform}, which the
 * compiler infers from the plan; serving applies it to raw requests), its metrics (the step's
 * {@code metric.<name>} inputs), the data version it came from, the plan hash, the run's parameters
 * and ids. Idempotent per run and step: a retried attempt returns the version the first attempt
 * registered.
 */
public final class RegistryActivitiesImpl implements RegistryActivities {
  private static final String METRIC_PREFIX = "metric.";

  /**
   * The metric recorded with a version when its run's success criteria were judged before it was
   * registered: 1 when they were met, 0 when not.
   */
  public static final String CRITERIA_METRIC = "success_criteria_met";

  /** The alias of the version in production, which deploy steps move. */
  public static final String PRODUCTION = "production";

  private final MetadataStore metadata;
  private final ArtifactStore artifacts;

  /**
   * Registers in {@code metadata}; a feature transform packaged with a model is recorded without
   * being checked against the model (use the other constructor to check it).
   */
  public RegistryActivitiesImpl(MetadataStore metadata) {
    this(metadata, null);
  }

  /**
   * Registers in {@code metadata}, checking that a feature transform packaged with a model computes
   * exactly the feature columns the model (in {@code artifacts}) reads.
   */
  public RegistryActivitiesImpl(MetadataStore metadata, ArtifactStore artifacts) {
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.artifacts = artifacts;
  }

  @Override
  public StepResult register(StepTask task) {
    if (!(task.step() instanceof Register step)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "The Register activity got step '"
              + task.stepName()
              + "' of kind '"
              + task.step().kind()
              + "'",
          FailureTypes.INVALID_PLAN);
    }
    ArtifactRef model = task.artifact("model");
    ArtifactRef dataset = task.optionalArtifact("dataset").orElse(null);
    ArtifactRef transform = task.optionalArtifact("transform").orElse(null);
    if (transform != null && artifacts != null) {
      checkTransform(step, model, transform);
    }
    Map<String, Double> metrics = metrics(task, step);
    RunInfo run = task.run();
    ModelVersion version =
        metadata
            .models()
            .register(
                new NewModelVersion(
                    step.modelName(),
                    model,
                    metrics,
                    dataset,
                    run.planHash(),
                    run.parameters(),
                    run.workflowId(),
                    run.runId(),
                    step.name(),
                    transform));
    if (dataset != null) {
      metadata.lineage().record(model, LineageStore.TRAINED_ON, dataset, run.runId(), step.name());
    }
    return StepResult.builder()
        .artifact("model", model)
        .value("version", version.version())
        .summary(summary(version, metrics))
        .build();
  }

  /** The transform must compute the model's feature columns, in the model's order. */
  private void checkTransform(Register step, ArtifactRef model, ArtifactRef transform) {
    FeatureTransform fitted;
    try {
      fitted = FeatureTransform.read(artifacts.resolve(transform));
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "': input 'transform' is not a feature transform: "
              + e.getMessage(),
          FailureTypes.INVALID_PLAN);
    }
    ModelMetadata read = ModelBundle.readMetadata(artifacts.resolve(model));
    if (!fitted.featureNames().equals(read.featureColumns())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Step '"
              + step.name()
              + "': the model reads the features "
              + read.featureColumns()
              + " but the transform "
              + (step.transform() == null ? "" : "'" + step.transform().describe() + "' ")
              + "computes "
              + fitted.featureNames()
              + ". Package the transform of the features step whose output trained the model",
          FailureTypes.INVALID_PLAN);
    }
  }

  @Override
  public ProductionModel productionMetrics(String modelName) {
    if (modelName == null || modelName.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "ProductionMetrics needs a model name", FailureTypes.INVALID_PLAN);
    }
    return metadata
        .models()
        .byAlias(modelName, PRODUCTION)
        .map(v -> new ProductionModel(modelName, v.version(), v.metrics()))
        .orElseGet(() -> new ProductionModel(modelName, null, Map.of()));
  }

  @Override
  public void setApproval(VersionApproval approval) {
    try {
      metadata
          .models()
          .setApproval(
              approval.modelName(),
              approval.version(),
              approval.approved() ? ApprovalStatus.APPROVED : ApprovalStatus.REJECTED,
              approval.approver(),
              approval.comment());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.INVALID_INPUT);
    }
  }

  /** The metrics in the order the step lists them, then any others the task carries, by name. */
  private static Map<String, Double> metrics(StepTask task, Register step) {
    List<String> names = new ArrayList<>(step.metrics().keySet());
    task.values().keySet().stream()
        .filter(input -> input.startsWith(METRIC_PREFIX))
        .map(input -> input.substring(METRIC_PREFIX.length()))
        .filter(name -> !names.contains(name))
        .sorted()
        .forEach(names::add);
    Map<String, Double> metrics = new LinkedHashMap<>();
    for (String name : names) {
      double value = task.number(METRIC_PREFIX + name);
      metrics.put(name, value);
    }
    if (task.value(PipelineWorkflowImpl.SUCCESS_CRITERIA_MET, null) instanceof Boolean met) {
      metrics.put(CRITERIA_METRIC, met ? 1.0 : 0.0);
    }
    return metrics;
  }

  /** E.g. {@code abalone-age v3 (rmse 2.13, mae 1.52)}. */
  private static String summary(ModelVersion version, Map<String, Double> metrics) {
    StringBuilder summary =
        new StringBuilder(version.name()).append(" v").append(version.version());
    if (!metrics.isEmpty()) {
      List<String> shown = new ArrayList<>();
      metrics.forEach((name, value) -> shown.add(name + " " + format(value)));
      summary.append(" (").append(String.join(", ", shown)).append(")");
    }
    return summary.toString();
  }

  private static String format(double value) {
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value).round(new MathContext(3)).stripTrailingZeros().toPlainString();
  }
}
